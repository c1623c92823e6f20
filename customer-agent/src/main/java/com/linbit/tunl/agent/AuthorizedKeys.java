package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets support engineers in through a reverse SSH tunnel by putting their public keys into the
 * {@code ~/.ssh/authorized_keys} of the account the tunnel logs in to (the account the agent runs
 * as, its home from the password database, as sshd finds it), and takes them out again.
 *
 * <p>The file is the customer's, so nothing else in it may change: our lines end in a tag
 * {@code tunl:<session>:<engineer>} by which they are found again, and {@link #remove} gives back the
 * file byte for byte as it was when the customer did not touch it meanwhile. Each line carries an
 * expiry in the form the local sshd reads ({@link KeyExpiry}), so that sshd stops accepting the key
 * even when the agent dies before it can clean up; {@link #sweepStale} clears such leftovers on a
 * later run. Every change goes through {@link KeysFile}: under a lock, as a rename of a complete
 * file, with the file's owner, group and mode kept.
 *
 * <p>The file is read as ISO-8859-1, which maps every byte to one char and back, so bytes that are
 * not UTF-8 survive too. One instance serves one agent session.
 */
final class AuthorizedKeys {

    private static final Pattern SESSION_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern ENGINEER = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TAG = Pattern.compile("tunl:([a-z0-9]+(?:-[a-z0-9]+)*):[A-Za-z0-9._-]{1,64}");
    private static final Set<String> KEY_TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com");
    private static final int MAX_KEY_LENGTH = 16 * 1024;

    private final OwnFolders folders;
    private final Path directory;
    private final KeysFile file;
    private Before before;

    /**
     * How the file was before the first {@link #install} of a session. {@code unterminatedLastLine} is
     * set when the file did not end in a newline, so install added one to start its lines on a line of
     * their own.
     */
    private record Before(String sessionId, boolean fileExisted, boolean createdDirectory, String unterminatedLastLine) {
    }

    private record Filtered(String kept, int removed, boolean lastRemoved, String lastKept) {
    }

    AuthorizedKeys(OwnFolders folders) {
        this.folders = folders;
        this.directory = folders.account().home().resolve(".ssh");
        this.file = new KeysFile(directory.resolve("authorized_keys"));
    }

    Path file() {
        return file.path();
    }

    /** Runs {@code hook} between preparing each change and putting it in place: a test's way to race an editor in. */
    void beforeReplace(Runnable hook) {
        file.beforeReplace(hook);
    }

    /**
     * Appends one line per key, {@code [expiry-time="<time>" ]<type> <base64> tunl:<session>:<engineer>}.
     * Keys come from the network, so anything but one well-formed public key line is refused before
     * the file system is touched.
     */
    synchronized void install(String sessionId, String engineer, List<String> publicKeys, Instant expiresAt,
                              KeyExpiry expiry) throws IOException {
        requireSessionId(sessionId);
        if (engineer == null || !ENGINEER.matcher(engineer).matches()) {
            throw new IllegalArgumentException("an engineer name is 1-64 of A-Z, a-z, 0-9, '.', '_', '-'");
        }
        if (before != null && !before.sessionId().equals(sessionId)) {
            throw new IllegalStateException("this instance serves session " + before.sessionId());
        }
        if (publicKeys.isEmpty()) {
            throw new IllegalArgumentException("no public keys to install");
        }
        String option = expiry.option(Objects.requireNonNull(expiresAt, "expiresAt"));
        StringBuilder lines = new StringBuilder();
        for (String key : publicKeys) {
            lines.append(option).append(typeAndBlob(key))
                    .append(" tunl:").append(sessionId).append(':').append(engineer).append('\n');
        }

        boolean createdDirectory = false;
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OwnFolders.PRIVATE_FOLDER));
                Files.setPosixFilePermissions(directory, OwnFolders.PRIVATE_FOLDER);
                createdDirectory = true;
            } catch (FileAlreadyExistsException raced) {
                // another editor made it a moment ago: checked below like any other
            }
        }
        folders.checkOwned(directory, directory);
        boolean first = before == null;
        boolean[] existed = new boolean[1];
        boolean[] unterminated = new boolean[1];
        String[] lastLine = new String[1];
        file.edit(current -> {
            existed[0] = current != null;
            unterminated[0] = current != null && !current.isEmpty() && !current.endsWith("\n");
            lastLine[0] = unterminated[0] ? current.substring(current.lastIndexOf('\n') + 1) : null;
            return (current == null ? "" : current) + (unterminated[0] ? "\n" : "") + lines;
        });
        if (first) {
            before = new Before(sessionId, existed[0], createdDirectory, lastLine[0]);
        }
    }

    /**
     * Takes this session's lines out again. When the customer left the rest alone, the file is what it
     * was before {@link #install}, down to a missing final newline, or gone with the {@code ~/.ssh} that
     * install created; otherwise only the tagged lines go. Repeating it, or calling it without an
     * install, changes nothing more.
     */
    synchronized void remove(String sessionId) throws IOException {
        requireSessionId(sessionId);
        Before restore = before != null && before.sessionId().equals(sessionId) ? before : null;
        if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            folders.checkOwned(directory, directory);
            file.edit(current -> {
                if (current == null) {
                    return null;
                }
                Filtered result = filter(current, sessionId::equals);
                String kept = result.kept();
                if (restore != null && restore.unterminatedLastLine() != null && result.lastRemoved()
                        && (restore.unterminatedLastLine() + "\n").equals(result.lastKept())) {
                    kept = kept.substring(0, kept.length() - 1);
                }
                if (restore != null && !restore.fileExisted() && kept.isEmpty()) {
                    return KeysFile.DELETE;
                }
                return kept;
            });
        }
        if (restore != null) {
            if (restore.createdDirectory()) {
                try {
                    Files.deleteIfExists(directory);
                } catch (DirectoryNotEmptyException customerFiles) {
                    // the customer keeps something there now
                }
            }
            before = null;
        }
    }

    /**
     * Removes the lines of sessions that no longer run, left behind when an agent could not clean up.
     * Returns how many lines went; when none do, the file is not rewritten.
     */
    int sweepStale(Predicate<String> sessionRunning) throws IOException {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        folders.checkOwned(directory, directory);
        int[] removed = new int[1];
        file.edit(current -> {
            if (current == null) {
                return null;
            }
            Filtered result = filter(current, sessionRunning.negate());
            removed[0] = result.removed();
            return result.kept();
        });
        return removed[0];
    }

    private static Filtered filter(String content, Predicate<String> dropSession) {
        StringBuilder kept = new StringBuilder(content.length());
        int removed = 0;
        boolean lastRemoved = false;
        String lastKept = null;
        for (int start = 0, end; start < content.length(); start = end) {
            int newline = content.indexOf('\n', start);
            end = newline < 0 ? content.length() : newline + 1;
            String line = content.substring(start, end);
            String session = sessionOf(line);
            lastRemoved = session != null && dropSession.test(session);
            if (lastRemoved) {
                removed++;
            } else {
                kept.append(line);
                lastKept = line;
            }
        }
        return new Filtered(kept.toString(), removed, lastRemoved, lastKept);
    }

    private static String sessionOf(String line) {
        String[] fields = line.strip().split("\\s+");
        Matcher tag = TAG.matcher(fields[fields.length - 1]);
        return tag.matches() ? tag.group(1) : null;
    }

    private static String typeAndBlob(String key) {
        if (key == null || key.length() > MAX_KEY_LENGTH || key.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a public key must be a single line without control characters");
        }
        String[] fields = key.strip().split(" +");
        if (fields.length < 2 || !KEY_TYPES.contains(fields[0])) {
            throw new IllegalArgumentException("not an OpenSSH public key of a supported type");
        }
        byte[] blob;
        try {
            if (fields[1].length() % 4 != 0) {
                throw new IllegalArgumentException("length is not a multiple of 4");
            }
            blob = Base64.getDecoder().decode(fields[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the public key is not valid base64", e);
        }
        if (!isKeyBlob(blob, fields[0].getBytes(StandardCharsets.US_ASCII))) {
            throw new IllegalArgumentException("the public key's data is not a " + fields[0] + " key");
        }
        return fields[0] + " " + fields[1];
    }

    /** Every public key blob is its type followed by one or more SSH strings, and nothing else. */
    private static boolean isKeyBlob(byte[] blob, byte[] type) {
        ByteBuffer data = ByteBuffer.wrap(blob);
        int strings = 0;
        while (data.remaining() >= 4) {
            int length = data.getInt();
            if (length < 0 || length > data.remaining()) {
                return false;
            }
            if (strings++ == 0 && !Arrays.equals(blob, data.position(), data.position() + length, type, 0, type.length)) {
                return false;
            }
            data.position(data.position() + length);
        }
        return strings >= 2 && !data.hasRemaining();
    }

    private static void requireSessionId(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("a session ID is lowercase letters and digits joined by single dashes");
        }
    }
}
