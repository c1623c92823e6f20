package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * This run's private folder in {@code /tmp} (chat socket, output FIFO, tmux config), removed when
 * the run ends, also when a signal ends it. Its path is noted in {@code run/<id>.folder}, so that
 * one left by an agent killed outright ({@code kill -9} runs no cleanup) is removed at the next
 * start on this machine, unless that agent still runs.
 */
final class RunFolder implements AutoCloseable {

    private static final Logger log = Logger.getLogger(RunFolder.class.getName());
    private static final Pattern OURS = Pattern.compile("/tmp/tunl-\\d+");
    private static final String RECORD = ".folder";

    private final Path path;
    private final Path record;
    private final Thread onExit;

    private RunFolder(Path path, Path record) {
        this.path = path;
        this.record = record;
        this.onExit = new Thread(() -> delete(path), "tunl-run-folder");
    }

    /**
     * A new folder for session {@code sessionId}; first removes what runs of this session, and of
     * sessions whose agent is not {@code running}, left behind.
     */
    static RunFolder create(StateDirectory state, String sessionId, Predicate<String> running) throws IOException {
        Path runtime = state.runtime();
        int uid = state.folders().account().uid();
        try (Stream<Path> records = Files.list(runtime)) {
            for (Path old : records.filter(file -> file.getFileName().toString().endsWith(RECORD)).toList()) {
                String id = old.getFileName().toString().replace(RECORD, "");
                if (id.equals(sessionId) || !running.test(id)) {
                    removeLeftover(old, uid);
                }
            }
        }
        RunFolder folder = new RunFolder(state.shortLivedFolder(), runtime.resolve(sessionId + RECORD));
        try (FileChannel file = OwnFolders.open(folder.record, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            file.write(ByteBuffer.wrap(folder.path.toString().getBytes(StandardCharsets.UTF_8)));
        }
        Runtime.getRuntime().addShutdownHook(folder.onExit);
        return folder;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        delete(path);
        try {
            Files.deleteIfExists(record);
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IOException | IllegalStateException e) {
            // shutting down: the hook does it
        }
    }

    /** A folder named in {@code record} that is one of the agent's and this user's goes, and the record with it. */
    private static void removeLeftover(Path record, int uid) {
        try {
            String named = new String(OwnFolders.read(record), StandardCharsets.UTF_8).strip();
            Path folder = Path.of(named);
            if (OURS.matcher(named).matches() && Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                    && (Integer) Files.getAttribute(folder, "unix:uid", LinkOption.NOFOLLOW_LINKS) == uid) {
                delete(folder);
            }
            Files.deleteIfExists(record);
        } catch (IOException | RuntimeException e) {
            log.log(Level.FINE, "could not remove what " + record + " names", e);
        }
    }

    /** The folder holds only what a run made in it (socket, FIFO, config): no subfolders, nothing to follow. */
    private static void delete(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            log.log(Level.FINE, "could not delete " + folder, e);
        }
    }
}
