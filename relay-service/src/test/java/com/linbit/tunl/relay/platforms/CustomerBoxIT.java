package com.linbit.tunl.relay.platforms;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.relay.support.TestRelay;
import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.CustomerSshd;
import com.linbit.tunl.testing.EngineerStream;
import com.linbit.tunl.testing.OpenSshClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent on a box that is not ours, run as root: nothing from a path or the environment runs
 * through tmux, its files stay in root's own home and behind no link, keys typed on tmux's oldest
 * keystroke path arrive, what tmux cannot do is shown to both sides, and closing the terminal ends
 * the session like Ctrl-b Q.
 */
class CustomerBoxIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path temp;
    static RelayFixture fixture;
    static TestRelay relay;
    static OpenSshClient ssh;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void startRelay() throws Exception {
        fixture = RelayFixture.start(temp);
        relay = fixture.relay();
        ssh = fixture.ssh();
    }

    @AfterAll
    static void stopRelay() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void aFolderOrAHomeNamedLikeATmuxFormatRunsNothingAndStillWorks() throws Exception {
        Path ran = temp.resolve("ran-" + token());
        Path folder = Files.createDirectories(temp.resolve("work/#(touch " + ran + ")"));
        Path home = temp.resolve("home #(touch " + ran + ") %Y #{session_name}");
        String id = createSession();

        CustomerAgent customer = started(CustomerAgent.in(home).from(folder).start(relay.sshPort(), fixture.caFile(), id));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));
        EngineerStream alice = started(EngineerStream.open(ssh, fixture.aliceKey(), relay.sshPort(), "alice", "join", id));
        alice.type("pwd; echo typed-$((40+2))\r");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(alice.output()).contains("typed-42"));
        assertThat(customer.shellPane()).as("the shell starts in the folder the customer ran it from, as named")
                .contains(folder.toString());
        assertThat(customer.stateFolder().resolve("recordings")).isDirectory();
        assertThat(ran).as("nothing ran through a tmux format").doesNotExist();
        endSession(customer);
    }

    @Test
    void asRootWithAnotherUsersEnvironmentItKeepsToRootsOwnHome() throws Exception {
        Path alicesHome = Files.createDirectories(temp.resolve("alice-" + token()));
        Files.setAttribute(alicesHome, "unix:uid", 4242);
        Path home = temp.resolve("root-" + token());
        String id = createSession();

        // sudo -E: the environment is still the invoking user's.
        CustomerAgent customer = started(CustomerAgent.in(home).environment("HOME", alicesHome.toString())
                .environment("XDG_STATE_HOME", alicesHome.resolve(".local/state").toString())
                .environment("TMUX_TMPDIR", alicesHome.toString())
                .start(relay.sshPort(), fixture.caFile(), id));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));

        assertThat(customer.stateFolder().resolve("keys/" + id)).isRegularFile();
        assertThat(alicesHome).as("nothing of root's in the other user's home").isEmptyDirectory();
        endSession(customer);
        assertThat(alicesHome).isEmptyDirectory();
    }

    @Test
    void aStateFolderBehindALinkIsRefusedBeforeAnythingStarts() throws Exception {
        Path home = temp.resolve("root-" + token());
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere-" + token()));
        Files.createDirectories(home.resolve(".local"));
        Files.createSymbolicLink(home.resolve(".local/state"), elsewhere);
        String id = createSession();

        CustomerAgent customer = started(CustomerAgent.start(home, relay.sshPort(), fixture.caFile(), id));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal()).contains("AGENT-EXIT=1"));
        assertThat(customer.terminal().replace("\n", "")).contains(home.resolve(".local/state")
                + " is a symbolic link; linbit-tunl follows no link there");
        assertThat(elsewhere).isEmptyDirectory();
        assertThat(customer.agentTmuxAlive()).isFalse();
        assertThat(state(id)).as("nothing reached the relay").isEqualTo("WAITING");
    }

    @Test
    void onTheKeyCodePathOfTmux27KeysArriveAndWhatItCannotTypeIsToldToBothSides() throws Exception {
        Path home = temp.resolve("root-" + token());
        String id = createSession();
        CustomerAgent customer = started(CustomerAgent.in(home).jvmOption("-Dtunl.tmux.keystrokes=key-codes")
                .start(relay.sshPort(), fixture.caFile(), id));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));
        EngineerStream alice = started(EngineerStream.open(ssh, fixture.aliceKey(), relay.sshPort(), "alice", "join", id));

        alice.type("echo \u00e9t\u00e9-\u20ac-$((6*7))\r");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("\u00e9t\u00e9-\u20ac-42"));
        // Cursor up (an escape sequence) recalls that line and Enter runs it again.
        alice.type("\u001b[A\r");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane().split("\u00e9t\u00e9-\u20ac-42", -1)).hasSize(3));
        // ^C interrupts (the terminal then drops what was typed ahead, so wait for it), DEL rubs out.
        alice.type("sleep 300\r");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("sleep 300"));
        alice.type("\u0003");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("^C"));
        alice.type("echo rubbed-outX\u007f-$((2*21))\r");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("rubbed-out-42"));

        alice.typeBytes(new byte[] {'e', 'c', 'h', 'o', ' ', (byte) 0xff, 'x', '\r'});
        String told = "1 byte(s) typed by alice are not UTF-8 text";
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane().replace("\n", "")).contains(told));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(alice.output()).contains("the customer's agent on"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(relay.audit("agent-problem")).anyMatch(row -> row.contains(told)));
        endSession(customer);
    }

    @Test
    void closingTheTerminalEndsTheSessionLikeCtrlBQ() throws Exception {
        Path home = temp.resolve("root-" + token());
        Path authorizedKeys = home.resolve(".ssh/authorized_keys");
        String id = createSession();
        CustomerSshd sshd = started(CustomerSshd.start(temp.resolve("sshd-" + id), authorizedKeys));
        CustomerAgent customer = started(CustomerAgent.start(home, relay.sshPort(), fixture.caFile(), id, "--tunnel",
                "--ssh-port", Integer.toString(sshd.port())));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("tunnel open"));
        assertThat(Files.readString(authorizedKeys)).contains("tunl:" + id + ":alice");

        customer.closeTerminal();

        await().atMost(PATIENCE).until(() -> state(id).equals("CLOSED"));
        assertThat(relay.audit("session-closed")).contains("customer|customer|");
        await().atMost(PATIENCE).until(() -> !customer.agentTmuxAlive());
        await().atMost(PATIENCE).until(() -> !Files.exists(customer.agentTmuxSocket()));
        assertThat(authorizedKeys).as("the support key came out, and the file the agent made with it").doesNotExist();
    }

    private String createSession() {
        OpenSshClient.Result created = ssh.ssh(fixture.aliceKey(), relay.sshPort(), "alice", "--", "create-session");
        assertThat(created.exit()).as(created.stderr()).isZero();
        return created.lines().get(0);
    }

    private <T extends AutoCloseable> T started(T closeable) {
        cleanup.add(closeable);
        return closeable;
    }

    private static void endSession(CustomerAgent customer) {
        customer.press("C-b", "Q");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal()).contains("AGENT-EXIT=0"));
        assertThat(customer.agentTmuxAlive()).isFalse();
        assertThat(customer.agentTmuxSocket()).as("not even tmux's socket is left").doesNotExist();
    }

    private static String state(String id) {
        return relay.jdbc().sql("select state from support_session where id = ?").param(id).query(String.class).single();
    }

    private static String token() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
