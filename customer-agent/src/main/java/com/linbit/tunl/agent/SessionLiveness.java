package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Which sessions have a running agent on this machine, tmux or not: each run holds an OS lock on
 * {@code run/<id>.lock} for its life. The OS drops the lock when the process dies, however it dies,
 * so a stale file never counts as running.
 */
final class SessionLiveness implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private SessionLiveness(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Marks {@code sessionId} as running until closed (a second run of the same session shares the mark). */
    static SessionLiveness hold(Path runtime, String sessionId) throws IOException {
        FileChannel channel = OwnFolders.open(file(runtime, sessionId), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        return new SessionLiveness(channel, lock);
    }

    static boolean running(Path runtime, String sessionId) {
        Path file = file(runtime, sessionId);
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (FileChannel channel = OwnFolders.open(file, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path file(Path runtime, String sessionId) {
        return runtime.resolve(sessionId + ".lock");
    }

    @Override
    public void close() throws IOException {
        if (lock != null) {
            lock.release();
        }
        channel.close();
    }
}
