package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where the agent keeps what outlives one run: per-session keys, the customer's recordings, its
 * log. {@code $XDG_STATE_HOME/linbit-tunl}, by default {@code ~/.local/state/linbit-tunl}; mode 0700.
 */
final class StateDirectory {

    private final Path root;

    private StateDirectory(Path root) {
        this.root = root;
    }

    static StateDirectory fromEnvironment(Map<String, String> env) throws IOException {
        String xdg = env.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "state");
        StateDirectory state = new StateDirectory(base.resolve("linbit-tunl"));
        state.privateDirectory(state.root);
        return state;
    }

    Path root() {
        return root;
    }

    Path keyFile(String sessionId) throws IOException {
        return privateDirectory(root.resolve("keys")).resolve(sessionId);
    }

    Path recordings() throws IOException {
        return privateDirectory(root.resolve("recordings"));
    }

    Path runtime() throws IOException {
        return privateDirectory(root.resolve("run"));
    }

    /**
     * A fresh private (0700) folder with a short path for Unix sockets, whose paths may not exceed
     * 108 bytes wherever the home folder is. The caller deletes it.
     */
    Path shortLivedSocketDirectory() throws IOException {
        return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir", "/tmp")), "tunl-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    Path log() {
        return root.resolve("agent.log");
    }

    private Path privateDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // nothing to tighten
        }
        return directory;
    }
}
