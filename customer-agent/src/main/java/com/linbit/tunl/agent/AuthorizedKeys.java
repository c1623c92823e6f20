package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets support engineers in through a reverse SSH tunnel by putting their public keys into the
 * customer user's {@code ~/.ssh/authorized_keys}, and takes them out again.
 *
 * <p>The file is the customer's, so nothing else in it may change: our lines end in a tag
 * {@code tunl:<session>:<engineer>} by which they are found again, and {@link #remove} gives back the
 * file byte for byte as it was when the customer did not touch it meanwhile. Each line carries an
 * {@code expiry-time} so that sshd stops accepting the key even when the agent dies before it can
 * clean up; {@link #sweepStale} clears such leftovers on a later run. Every rewrite is a rename of a
 * complete temporary file, so sshd never reads half a file and a crash never truncates it.
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
    /** sshd reads {@code YYYYMMDDHHMMSS} in the system time zone unless it ends in Z. */
    private static final DateTimeFormatter EXPIRY_TIME =
            DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int MAX_KEY_LENGTH = 16 * 1024;
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private final Path file;
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

    AuthorizedKeys(Path home) {
        this.directory = home.resolve(".ssh");
        this.file = directory.resolve("authorized_keys");
    }

    /**
     * Appends one line per key, {@code expiry-time="<UTC>" <type> <base64> tunl:<session>:<engineer>}.
     * Keys come from the network, so anything but one well-formed public key line is refused before
     * the file system is touched.
     */
    synchronized void install(String sessionId, String engineer, List<String> publicKeys, Instant expiresAt)
            throws IOException {
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
        String expiry = EXPIRY_TIME.format(Objects.requireNonNull(expiresAt, "expiresAt"));
        StringBuilder lines = new StringBuilder();
        for (String key : publicKeys) {
            lines.append("expiry-time=\"").append(expiry).append("\" ").append(typeAndBlob(key))
                    .append(" tunl:").append(sessionId).append(':').append(engineer).append('\n');
        }

        boolean createdDirectory = false;
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
            Files.setPosixFilePermissions(directory, PRIVATE_DIRECTORY);
            createdDirectory = true;
        }
        String current = read(file);
        boolean unterminated = current != null && !current.isEmpty() && !current.endsWith("\n");
        if (before == null) {
            before = new Before(sessionId, current != null, createdDirectory,
                    unterminated ? current.substring(current.lastIndexOf('\n') + 1) : null);
        }
        write(file, (current == null ? "" : current) + (unterminated ? "\n" : "") + lines, current != null);
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
        String current = read(file);
        if (current != null) {
            Filtered result = filter(current, sessionId::equals);
            String kept = result.kept();
            if (restore != null && restore.unterminatedLastLine() != null && result.lastRemoved()
                    && (restore.unterminatedLastLine() + "\n").equals(result.lastKept())) {
                kept = kept.substring(0, kept.length() - 1);
            }
            if (restore != null && !restore.fileExisted() && kept.isEmpty()) {
                Files.delete(file);
            } else if (!kept.equals(current)) {
                write(file, kept, true);
            }
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
    static int sweepStale(Path home, Predicate<String> sessionRunning) throws IOException {
        Path file = home.resolve(".ssh").resolve("authorized_keys");
        String current = read(file);
        if (current == null) {
            return 0;
        }
        Filtered result = filter(current, sessionRunning.negate());
        if (result.removed() > 0) {
            write(file, result.kept(), true);
        }
        return result.removed();
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

    /** The file's content, or null when there is none; refuses a symlink, which a rename would replace. */
    private static String read(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a symbolic link; tunl does not edit authorized_keys through a link,"
                    + " make it a regular file to grant tunnel access");
        }
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    private static void write(Path file, String content, boolean existed) throws IOException {
        Set<PosixFilePermission> permissions = existed
                ? Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                : PRIVATE_FILE;
        Path temp = Files.createTempFile(file.getParent(), ".authorized_keys.", ".tunl",
                PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.ISO_8859_1));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.setPosixFilePermissions(temp, permissions);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
