package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where the agent keeps what outlives one run: per-session keys, the customer's recordings, its
 * log: {@code ~/.local/state/linbit-tunl} of the running account, its home from the password
 * database ({@link LocalAccount}). A user other than root may move it with {@code $XDG_STATE_HOME}
 * (an absolute path to a folder of theirs); root never takes it from the environment, which under
 * {@code sudo -E} is another user's. Every folder is checked by {@link OwnFolders}.
 */
final class StateDirectory {

    /** The agent's short-lived folders in the temp folder: a fixed, plain path tmux may be given. */
    private static final Path TEMP = Path.of("/tmp");

    private final Path root;
    private final OwnFolders folders;

    private StateDirectory(Path root, OwnFolders folders) {
        this.root = root;
        this.folders = folders;
    }

    static StateDirectory of(LocalAccount account, Map<String, String> env) throws IOException {
        OwnFolders folders = new OwnFolders(account);
        String xdg = env.get("XDG_STATE_HOME");
        Path base = account.home().resolve(".local").resolve("state");
        if (!account.isRoot() && xdg != null && xdg.startsWith("/")) {
            base = Path.of(xdg);
        }
        StateDirectory state = new StateDirectory(base.resolve("linbit-tunl"), folders);
        folders.privateFolder(state.root);
        return state;
    }

    Path root() {
        return root;
    }

    OwnFolders folders() {
        return folders;
    }

    Path keyFile(String sessionId) throws IOException {
        return folders.privateFolder(root.resolve("keys")).resolve(sessionId);
    }

    Path recordings() throws IOException {
        return folders.privateFolder(root.resolve("recordings"));
    }

    Path runtime() throws IOException {
        return folders.privateFolder(root.resolve("run"));
    }

    /**
     * A fresh private (0700) folder for this run's sockets, FIFO and tmux config: a short path
     * (a Unix socket's may not exceed 108 bytes wherever the home folder is) made only of characters
     * tmux reads literally. The caller deletes it.
     */
    Path shortLivedFolder() throws IOException {
        return Files.createTempDirectory(TEMP, "tunl-",
                PosixFilePermissions.asFileAttribute(OwnFolders.PRIVATE_FOLDER));
    }

    Path log() {
        return root.resolve("agent.log");
    }
}
