package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One authorized_keys file, changed the way a file sshd reads at any moment must be:
 * <ul>
 * <li>under a POSIX lock on the file itself ({@code fcntl}, which {@code lockf} takes too), so two
 * agents, or a tool that locks it, never edit it at once; a waiter that finds the file replaced
 * meanwhile locks the new one;</li>
 * <li>as a rename of a complete file with the old one's owner, group and mode, so sshd never reads
 * half a file and a crash never truncates it;</li>
 * <li>only if, just before the rename, the file is still exactly what the change was made from: a
 * tool that edits without a lock (a configuration manager, an editor) and got in between makes the
 * change start again from its version, so no line it added is lost and none it removed comes
 * back.</li>
 * </ul>
 * Links are never followed: a link, or anything but a regular file, is refused.
 */
final class KeysFile {

    /** What a change returns to delete the file. */
    static final String DELETE = new String("(delete the file)");

    private static final int ATTEMPTS = 50;
    private static final long LOCK_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(10);

    /** A change of the content (null when there is no file): the new content, null for none, {@link #DELETE}. */
    interface Change {
        String apply(String current);
    }

    private final Path path;
    /** Called between preparing a change and putting it in place; a test's way to race an editor in. */
    private volatile Runnable beforeReplace = () -> { };

    KeysFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    void beforeReplace(Runnable hook) {
        this.beforeReplace = hook;
    }

    void edit(Change change) throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            boolean done = Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? editExisting(change) : create(change);
            if (done) {
                return;
            }
        }
        throw new IOException(path + " kept changing while linbit-tunl tried to edit it; try again in a moment");
    }

    /** No file yet: the new one is linked into place only if still nobody made one. */
    private boolean create(Change change) throws IOException {
        String wanted = change.apply(null);
        if (wanted == null || wanted == DELETE) {
            return true;
        }
        Path temp = temporary(wanted, null);
        try {
            beforeReplace.run();
            Files.createLink(path, temp);
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private boolean editExisting(Change change) throws IOException {
        PosixFileAttributes seen = regularFile();
        if (seen == null) {
            return false;
        }
        Path temp = null;
        boolean[] writable = new boolean[1];
        try (FileChannel channel = openForLock(writable); FileLock lock = lock(channel, writable[0])) {
            PosixFileAttributes locked = regularFile();
            if (locked == null || !locked.fileKey().equals(seen.fileKey())) {
                return false;
            }
            byte[] read = read(channel);
            String current = new String(read, StandardCharsets.ISO_8859_1);
            String wanted = change.apply(current);
            if (wanted == null || wanted.equals(current)) {
                return true;
            }
            if (wanted != DELETE) {
                temp = temporary(wanted, locked);
            }
            beforeReplace.run();
            if (!unchangedSince(locked, read)) {
                return false;
            }
            if (temp == null) {
                Files.delete(path);
            } else {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
            }
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** The file's attributes, null when it is gone; a link or anything but a regular file is refused. */
    private PosixFileAttributes regularFile() throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return null;
        }
        if (attributes.isSymbolicLink()) {
            throw new IOException(path + " is a symbolic link; tunl does not edit authorized_keys through a link,"
                    + " make it a regular file to grant tunnel access");
        }
        if (!attributes.isRegularFile()) {
            throw new IOException(path + " is not a regular file; tunl edits only a regular authorized_keys");
        }
        return attributes;
    }

    private boolean unchangedSince(PosixFileAttributes locked, byte[] read) throws IOException {
        PosixFileAttributes now = regularFile();
        if (now == null || !now.fileKey().equals(locked.fileKey()) || now.size() != locked.size()
                || !now.lastModifiedTime().equals(locked.lastModifiedTime())) {
            return false;
        }
        return Arrays.equals(OwnFolders.read(path), read);
    }

    /** A complete new file beside the old one, with its owner, group and mode (0600 for a new file). */
    private Path temporary(String content, PosixFileAttributes like) throws IOException {
        Path temp = path.resolveSibling("." + path.getFileName() + ".tunl-" + Long.toUnsignedString(System.nanoTime(), 36));
        try (FileChannel channel = OwnFolders.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.ISO_8859_1));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            if (like != null) {
                PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                PosixFileAttributes made = view.readAttributes();
                if (!made.owner().equals(like.owner())) {
                    view.setOwner(like.owner());
                }
                if (!made.group().equals(like.group())) {
                    view.setGroup(like.group());
                }
                view.setPermissions(like.permissions());
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new IOException("cannot give the new " + path.getFileName() + " the owner, group and mode of "
                    + path + ": " + e.getMessage(), e);
        }
        return temp;
    }

    /**
     * Open for writing, which an exclusive lock needs; a file its owner made read-only (0400) can only
     * be opened for reading by a user other than root, and then gets a shared lock.
     */
    private FileChannel openForLock(boolean[] writable) throws IOException {
        try {
            FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS));
            writable[0] = true;
            return channel;
        } catch (AccessDeniedException readOnly) {
            return FileChannel.open(path, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        }
    }

    private FileLock lock(FileChannel channel, boolean writable) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCK_WAIT_MILLIS);
        while (true) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, !writable);
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("another program has held a lock on " + path + " for more than "
                        + TimeUnit.MILLISECONDS.toSeconds(LOCK_WAIT_MILLIS) + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the lock on " + path, e);
            }
        }
    }

    private static byte[] read(FileChannel channel) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        channel.position(0);
        while (channel.read(buffer.clear()) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
        }
        return out.toByteArray();
    }
}
