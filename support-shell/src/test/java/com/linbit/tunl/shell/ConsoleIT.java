package com.linbit.tunl.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.testing.Tmux;

import static com.linbit.tunl.shell.Processes.run;
import static com.linbit.tunl.shell.Processes.tunl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code tunl} console jar, one-shot and interactive, against the real relay jar (embedded
 * PostgreSQL in a temporary folder). Every console run gets a temporary HOME.
 */
class ConsoleIT {

    @TempDir
    static Path temp;
    static RelayProcess relay;
    static int sshPort;
    static Path key;
    static Path ca;

    @BeforeAll
    static void startRelay() throws Exception {
        relay = RelayProcess.start(temp.resolve("relay"));
        sshPort = relay.sshPort();
        key = Processes.engineerHome(temp.resolve("home")).resolve(".ssh/id_ed25519");
        relay.register("alice", key.resolveSibling("id_ed25519.pub"));
        ca = relay.saveCa(temp.resolve("relay-ca.pub"));
    }

    @AfterAll
    static void stopRelay() throws Exception {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void unconfiguredThenSetUpThenEveryOneShotCommand() throws Exception {
        Path fresh = temp.resolve("fresh-" + UUID.randomUUID());
        Files.createDirectories(fresh.resolve(".ssh"));
        Files.copy(key, fresh.resolve(".ssh/id_ed25519"));

        Processes.Result unconfigured = tunl(fresh, "sessions");
        assertThat(unconfigured.exit()).isEqualTo(3);
        assertThat(unconfigured.all()).contains("tunl is not set up yet: run setup --relay HOST:PORT --ca-file FILE");

        Processes.Result flags = tunl(fresh, "--relay", "127.0.0.1:" + sshPort, "--ca-file", ca.toString(), "--user", "alice", "whoami");
        assertThat(flags.exit()).as("flags before the command stand in for the config file").isZero();
        assertThat(flags.stdout()).startsWith("alice\n");

        Processes.Result setup = tunl(fresh, "setup", "--relay", "127.0.0.1:" + sshPort, "--ca-file", ca.toString());
        assertThat(setup.exit()).as(setup.all()).isZero();
        assertThat(PosixMode.of(fresh.resolve(".config/tunl/config"))).isEqualTo("rw-------");

        Processes.Result whoami = tunl(fresh, "whoami");
        assertThat(whoami.exit()).as(whoami.all()).isZero();
        assertThat(whoami.stdout()).startsWith("alice\n").contains("key SHA256:");

        Processes.Result created = tunl(fresh, "create-session", "--case", "4711", "--note", "disk full");
        assertThat(created.exit()).as(created.all()).isZero();
        String id = created.stdout().lines().findFirst().orElseThrow();
        assertThat(id).matches("[a-z]{3,8}(-[a-z]{3,8}){3}");
        assertThat(created.stdout()).contains("linbit-tunl " + id);

        assertThat(tunl(fresh, "sessions").stdout()).containsPattern(id + "\\s+waiting\\s+4711\\s+alice");
        Processes.Result chat = tunl(fresh, "chat", id, "hello", "from", "the", "console");
        assertThat(chat.exit()).as(chat.all()).isZero();
        assertThat(tunl(fresh, "history", "--mine", "--limit", "5").stdout()).startsWith("ID ").contains("REASON");

        Processes.Result unknown = tunl(fresh, "chat", "quiet-lemon-sings-harbor", "hi");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("tunl: no open session quiet-lemon-sings-harbor").doesNotContain("\tat ");

        Processes.Result bogus = tunl(fresh, "bogus");
        assertThat(bogus.exit()).isEqualTo(2);
        assertThat(bogus.stderr()).contains("tunl: unknown command 'bogus'");

        Processes.Result version = tunl(fresh, "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.stdout()).contains("Version: ");
    }

    @Test
    void wrongCaAndUnregisteredKeyGetClearMessages() throws Exception {
        Path other = temp.resolve("other-" + UUID.randomUUID());
        Files.createDirectories(other.resolve(".ssh"));
        Path otherKey = other.resolve(".ssh/id_ed25519");
        assertThat(run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString())).exit()).isZero();

        assertThat(tunl(other, "setup", "--relay", "127.0.0.1:" + sshPort, "--ca-file",
                otherKey.resolveSibling("id_ed25519.pub").toString(), "--user", "alice").exit()).isZero();
        Processes.Result wrongCa = tunl(other, "whoami");
        assertThat(wrongCa.exit()).isEqualTo(1);
        assertThat(wrongCa.stderr()).contains("could not be verified", "Someone may be intercepting");

        assertThat(tunl(other, "setup", "--relay", "127.0.0.1:" + sshPort, "--ca-file", ca.toString(), "--user", "mallory").exit()).isZero();
        Processes.Result unregistered = tunl(other, "whoami");
        assertThat(unregistered.exit()).isEqualTo(1);
        assertThat(unregistered.stderr()).contains("the relay refused the key", "ask an admin to register your public key");
    }

    @Test
    void interactiveConsoleShowsThePromptAndRunsCommands() throws Exception {
        Path interactive = temp.resolve("interactive-" + UUID.randomUUID());
        Files.createDirectories(interactive.resolve(".ssh"));
        Files.copy(key, interactive.resolve(".ssh/id_ed25519"));
        assertThat(tunl(interactive, "setup", "--relay", "127.0.0.1:" + sshPort, "--ca-file", ca.toString(), "--user", "alice").exit())
                .isZero();
        String socket = "tunl-console-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            run(List.of("tmux", "-L", socket, "new-session", "-d", "-x", "120", "-y", "40",
                    "cd '" + interactive + "' && " + Processes.shellQuote(Processes.tunlCommand(interactive))
                            + "; echo CONSOLE-EXIT=$?; sleep 60"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(screen(socket)).as("capture-pane trims the space after the prompt").contains("tunl>"));
            run(List.of("tmux", "-L", socket, "send-keys", "whoami", "Enter"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(screen(socket)).contains("key SHA256:"));

            String id = tunl(interactive, "create-session", "--case", "31").stdout().lines().findFirst().orElseThrow();
            run(List.of("tmux", "-L", socket, "send-keys", "join " + id.substring(0, id.indexOf('-') + 3), "Tab"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(screen(socket)).contains("tunl> join " + id));
            run(List.of("tmux", "-L", socket, "send-keys", "C-u", "exit", "Enter"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(screen(socket)).contains("CONSOLE-EXIT=0"));
            assertThat(Files.exists(interactive.resolve(".config/tunl/history"))).isTrue();
        } finally {
            new Tmux(socket).kill();
        }
    }

    @Test
    void anSshAgentSignsAndAPassphraseIsAskedForOncePerConsole() throws Exception {
        Path protectedHome = Processes.engineerHome(temp.resolve("protected-" + UUID.randomUUID()));
        Path protectedKey = protectedHome.resolve(".ssh/id_ed25519");
        relay.register("alice", protectedKey.resolveSibling("id_ed25519.pub"));
        Path agentSocket = temp.resolve("agent-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", agentSocket.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String socket = "tunl-passphrase-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(agentSocket));
            assertThat(run(List.of("env", "SSH_AUTH_SOCK=" + agentSocket, "ssh-add", protectedKey.toString())).exit()).isZero();
            assertThat(run(List.of("ssh-keygen", "-q", "-p", "-P", "", "-N", "correct horse", "-f", protectedKey.toString())).exit())
                    .isZero();
            assertThat(tunl(protectedHome, "setup", "--relay", "127.0.0.1:" + sshPort, "--ca-file", ca.toString()).exit()).isZero();

            List<String> withAgent = new ArrayList<>(Processes.tunlCommand(protectedHome, "SSH_AUTH_SOCK=" + agentSocket));
            withAgent.add("whoami");
            Processes.Result signedByAgent = run(withAgent);
            assertThat(signedByAgent.exit()).as(signedByAgent.all()).isZero();
            assertThat(signedByAgent.stdout()).startsWith("alice\n");

            Processes.Result noTerminal = tunl(protectedHome, "whoami");
            assertThat(noTerminal.exit()).isEqualTo(1);
            assertThat(noTerminal.stderr()).contains("is passphrase-protected and there is no terminal to ask on",
                    "ssh-add " + protectedKey);

            run(List.of("tmux", "-L", socket, "new-session", "-d", "-x", "120", "-y", "40",
                    Processes.shellQuote(Processes.tunlCommand(protectedHome)) + "; echo CONSOLE-EXIT=$?; sleep 60"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(screen(socket)).contains("tunl>"));
            run(List.of("tmux", "-L", socket, "send-keys", "whoami", "Enter"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(screen(socket)).contains("Passphrase for " + protectedKey));
            run(List.of("tmux", "-L", socket, "send-keys", "correct horse", "Enter"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(screen(socket)).contains("key SHA256:"));
            run(List.of("tmux", "-L", socket, "send-keys", "sessions", "Enter"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(screen(socket)).contains("CREATED BY"));
            assertThat(screen(socket).split("Passphrase for", -1)).as("asked once").hasSize(2);
            assertThat(screen(socket)).doesNotContain("correct horse");
        } finally {
            new Tmux(socket).kill();
            agent.destroy();
        }
    }

    private static String screen(String socket) throws Exception {
        return run(List.of("tmux", "-L", socket, "capture-pane", "-p")).stdout();
    }

    static final class PosixMode {
        static String of(Path file) throws IOException {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        }
    }
}
