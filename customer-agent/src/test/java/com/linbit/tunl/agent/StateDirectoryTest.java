package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state folder comes from the account, each folder on the way is the running user's own, and no link is followed. */
class StateDirectoryTest {

    @TempDir
    Path home;

    @Test
    void rootKeepsItsStateUnderItsOwnHomeWhateverTheEnvironmentSays() throws Exception {
        assumeRoot();
        Path otherUsers = Files.createDirectory(home.resolve("alice"));
        LocalAccount root = asRunningUser("root", Files.createDirectory(home.resolve("root")));

        StateDirectory state = StateDirectory.of(root,
                Map.of("HOME", otherUsers.toString(), "XDG_STATE_HOME", otherUsers.resolve("state").toString()));

        assertThat(state.root()).isEqualTo(root.home().resolve(".local/state/linbit-tunl"));
        assertThat(otherUsers).isEmptyDirectory();
        for (Path folder = state.root(); !folder.equals(root.home()); folder = folder.getParent()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        }
    }

    @Test
    void anotherUserMayMoveItWithXdgStateHome() throws Exception {
        assumeRoot();
        LocalAccount alice = new LocalAccount(4242, "alice", home);
        Path xdg = Files.createDirectory(home.resolve("xdg"));
        Files.setAttribute(home, "unix:uid", 4242);
        Files.setAttribute(xdg, "unix:uid", 4242);

        StateDirectory state = StateDirectory.of(alice, Map.of("XDG_STATE_HOME", xdg.toString()));

        assertThat(state.root()).isEqualTo(xdg.resolve("linbit-tunl"));
    }

    @Test
    void aLinkOnTheWayIsRefusedAndNothingIsWrittenThroughIt() throws Exception {
        Path elsewhere = Files.createDirectory(home.resolve("elsewhere"));
        Files.createDirectories(home.resolve(".local"));
        Files.createSymbolicLink(home.resolve(".local/state"), elsewhere);

        assertThatThrownBy(() -> StateDirectory.of(asRunningUser("root", home), Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessage(home.resolve(".local/state") + " is a symbolic link; linbit-tunl follows no link there"
                        + " (make it a real folder, or remove it and let linbit-tunl create it)");
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void aFolderOthersMayWriteToIsRefused() throws Exception {
        Path local = Files.createDirectories(home.resolve(".local"));
        Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> StateDirectory.of(asRunningUser("root", home), Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessage(local + " may be written by other users (mode rwxrwxrwx; chmod go-w " + local + ")");
    }

    @Test
    void aFolderOfAnotherUserIsRefused() throws Exception {
        assumeRoot();
        Path local = Files.createDirectories(home.resolve(".local"));
        Files.setAttribute(local, "unix:uid", 4242);

        assertThatThrownBy(() -> StateDirectory.of(asRunningUser("root", home), Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(local + " belongs to user 4242, not to root who runs linbit-tunl");
    }

    @Test
    void theRunsOwnFolderIsPlainEnoughForTmux() throws Exception {
        StateDirectory state = StateDirectory.of(asRunningUser("root", home), Map.of());
        Path folder = state.shortLivedFolder();
        try {
            assertThat(Tmux.formatSafe(folder.resolve("out"))).startsWith("/tmp/tunl-");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        } finally {
            Files.delete(folder);
        }
        assertThatThrownBy(() -> Tmux.formatSafe(Path.of("/root/#(touch pwned)/out"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Tmux.formatSafe(Path.of("/home/a%Y/out"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Tmux.formatSafe(Path.of("/home/a b/out"))).isInstanceOf(IOException.class);
    }

    /** The running user (the folders are the test's) under {@code name}, with {@code home} as the password database's home. */
    private static LocalAccount asRunningUser(String name, Path home) throws IOException {
        return new LocalAccount(uid(), name, home);
    }

    private static void assumeRoot() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(uid() == 0, "the agent usually runs as root; so do these tests");
    }

    private static int uid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
