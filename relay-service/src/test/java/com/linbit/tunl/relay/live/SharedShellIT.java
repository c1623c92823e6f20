package com.linbit.tunl.relay.live;

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

import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.EngineerStream;
import com.linbit.tunl.testing.OpenSshClient;
import com.linbit.tunl.relay.support.TestRelay;
import com.linbit.tunl.relay.support.ThreadDump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared shell end to end: the real agent jar in a terminal driving real tmux, the real relay
 * on real PostgreSQL, engineers on stock OpenSSH.
 */
class SharedShellIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path temp;
    static TestRelay relay;
    static OpenSshClient ssh;
    static Path aliceKey;
    static Path bobKey;
    static Path caFile;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void startRelay() throws Exception {
        relay = TestRelay.start(temp.resolve("relay"));
        ssh = new OpenSshClient(temp.resolve("engineers"), relay.get("/known_hosts").body());
        aliceKey = relay.registerEngineer(ssh, "alice");
        bobKey = relay.registerEngineer(ssh, "bob");
        caFile = relay.saveCa(temp.resolve("relay-ca.pub"));
    }

    @AfterAll
    static void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    private String createSession() {
        OpenSshClient.Result created = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "create-session", "--case", "4711");
        assertThat(created.exit()).as(created.stderr()).isZero();
        return created.lines().get(0);
    }

    private CustomerAgent agent(String id, String... options) {
        CustomerAgent agent = CustomerAgent.start(temp.resolve("customer-" + UUID.randomUUID()), relay.sshPort(), caFile, id, options);
        cleanup.add(agent);
        return agent;
    }

    private CustomerAgent connectedAgent(String id, String... options) {
        CustomerAgent agent = agent(id, options);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(agent.chatPane())
                .as(() -> "customer terminal:\n" + agent.terminal()).contains("relay connected"));
        return agent;
    }

    private EngineerStream join(Path key, String user, String id) {
        EngineerStream stream = EngineerStream.open(ssh, key, relay.sshPort(), user, "join", id);
        cleanup.add(stream);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(stream.output())
                .as(() -> "join output so far, then the test JVM's threads (the relay runs here):\n"
                        + stream.output() + "\n" + ThreadDump.all())
                .contains("joined " + id));
        return stream;
    }

    private static String token() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void engineerTypesIntoTheSharedShellAndEveryoneSeesIt() {
        String id = createSession();
        CustomerAgent customer = connectedAgent(id);
        EngineerStream alice = join(aliceKey, "alice", id);
        EngineerStream bob = join(bobKey, "bob", id);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("2v", "alice joined", "bob joined"));

        String marker = token();
        alice.type("echo tunl-$((40+2))-" + marker + "\r");

        String expected = "tunl-42-" + marker;
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(customer.shellPane()).contains(expected);
            assertThat(alice.output()).contains(expected);
            assertThat(bob.output()).contains(expected);
        });
        assertThat(customer.chatPane()).doesNotContain(expected);
        assertThat(relay.audit("support-joined")).anyMatch(row -> row.startsWith("|alice|"));
    }

    @Test
    void restrictedSessionNeverReceivesKeystrokes() {
        String id = createSession();
        CustomerAgent customer = connectedAgent(id, "--restricted");
        assertThat(customer.chatPane()).contains("[LINBIT RESTRICTED] " + id);
        EngineerStream alice = join(aliceKey, "alice", id);

        String marker = token();
        alice.type("echo tunl-$((2+2))-" + marker + "\r");
        await().atMost(PATIENCE).until(() -> alice.output().contains("restricted session: your keystrokes are not sent"));
        customer.typeInShell("echo customer-still-types-" + marker);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("customer-still-types-" + marker));

        assertThat(customer.shellPane()).doesNotContain("tunl-4-" + marker).doesNotContain("echo tunl-");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(relay.audit("input-denied"))
                .anyMatch(row -> row.startsWith("restricted|alice|")));
    }

    @Test
    void lateJoinerSeesTheCurrentScreenAtOnce() throws Exception {
        String id = createSession();
        CustomerAgent customer = connectedAgent(id);
        String marker = token();
        customer.typeInShell("echo early-$((3+3))-" + marker);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("early-6-" + marker));

        EngineerStream late = join(bobKey, "bob", id);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(late.output()).contains("early-6-" + marker));

        late.type("\u001d");
        assertThat(late.waitForExit(30)).as("Ctrl-] leaves").isTrue();
        assertThat(late.exitValue()).isZero();
        assertThat(late.output()).contains("left " + id + "; the session goes on");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("bob left", "0v"));
        assertThat(relay.jdbc().sql("select state from support_session where id = ?").param(id).query(String.class).single())
                .isEqualTo("ACTIVE");
    }

    @Test
    void chatGoesBothWaysNeutralisedAndBounded() throws Exception {
        String id = createSession();
        CustomerAgent customer = connectedAgent(id);
        EngineerStream chat = EngineerStream.open(ssh, bobKey, relay.sshPort(), "bob", "chat", id);
        cleanup.add(chat);
        await().atMost(PATIENCE).until(() -> chat.output().contains("chat in " + id));

        OpenSshClient.Result said = ssh.run(ssh.sshCommand(aliceKey, relay.sshPort(), "alice", "--", "chat", id, "--say",
                "'please run dmesg \u001b[31mnow'"), 30);
        assertThat(said.exit()).as(said.stderr()).isZero();
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(customer.chatPane()).contains("alice: please run dmesg ^[[31mnow");
            assertThat(chat.output()).contains("alice: please run dmesg ^[[31mnow");
        });

        customer.typeInChat("dmesg shows nothing odd");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(chat.output()).contains("customer: dmesg shows nothing odd"));

        chat.type("thanks, looking\r");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("bob: thanks, looking"));

        OpenSshClient.Result tooLong = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "chat", id, "--say", "x".repeat(2001));
        assertThat(tooLong.exit()).isNotZero();
        assertThat(tooLong.stderr()).contains("fatal: chat line too long (2001 characters; at most 2000)");
        assertThat(relay.jdbc().sql("select author || ': ' || text from chat_message where session_id = ? order by id")
                .param(id).query(String.class).list())
                .containsExactly("alice: please run dmesg ^[[31mnow", "customer: dmesg shows nothing odd", "bob: thanks, looking");
    }

    @Test
    void ctrlBQEndsTheSessionEverywhereAndLeavesTheCustomerARecording() throws Exception {
        String id = createSession();
        CustomerAgent customer = connectedAgent(id);
        EngineerStream alice = join(aliceKey, "alice", id);
        EngineerStream chat = EngineerStream.open(ssh, bobKey, relay.sshPort(), "bob", "chat", id);
        cleanup.add(chat);
        await().atMost(PATIENCE).until(() -> chat.output().contains("chat in " + id));
        String marker = token();
        alice.type("echo rec-$((5+5))-" + marker + "\r");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("rec-10-" + marker));

        customer.press("C-b", "Q");

        assertThat(alice.waitForExit(30)).isTrue();
        assertThat(alice.exitValue()).isZero();
        assertThat(alice.output()).contains("session ended by customer");
        assertThat(chat.waitForExit(30)).isTrue();
        assertThat(chat.exitValue()).isZero();
        assertThat(chat.output()).contains("session ended by customer");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal()).contains("AGENT-EXIT=0"));
        assertThat(customer.agentTmuxAlive()).isFalse();
        String terminal = customer.terminal().replace("\n", "");
        assertThat(terminal).contains("Session ended. Your recording: ");
        String state = relay.jdbc().sql("select state || '/' || close_reason from support_session where id = ?")
                .param(id).query(String.class).single();
        assertThat(state).isEqualTo("CLOSED/customer");

        Path recordings = customer.stateFolder().resolve("recordings");
        Path cast;
        try (var files = Files.list(recordings)) {
            cast = files.filter(file -> file.getFileName().toString().startsWith(id + "-")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(cast);
        assertThat(lines.get(0)).startsWith("{\"version\": 2, \"width\": ").contains("\"title\": \"" + id + "\"");
        assertThat(lines.subList(1, lines.size())).allMatch(line -> line.matches("\\[\\d+\\.\\d{6}, \"[or]\", \".*\"\\]"));
        // asciinema insists on a terminal; script(1) lends it one.
        OpenSshClient.Result played = ssh.run(List.of("script", "-qec", "asciinema cat " + cast, "/dev/null"), 30);
        assertThat(played.exit()).as(played.stderr()).isZero();
        assertThat(played.stdout()).contains("rec-10-" + marker);
    }

    @Test
    void theAgentRefusesAnUnverifiedRelayAnUnknownSessionAndAForeignKey() throws Exception {
        Path otherCa = temp.resolve("other-ca-" + token());
        ssh.generateKey(otherCa.getFileName().toString(), "ed25519", 0);
        Path otherCaPub = temp.resolve("engineers").resolve(otherCa.getFileName() + ".pub");
        String id = createSession();

        CustomerAgent wrongCa = CustomerAgent.start(temp.resolve("c-" + token()), relay.sshPort(), otherCaPub, id);
        cleanup.add(wrongCa);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(wrongCa.terminal()).contains("AGENT-EXIT=3"));
        assertThat(wrongCa.terminal().replace("\n", "")).contains("could not be verified", "Someone may be intercepting");

        CustomerAgent unknown = agent("quiet-lemon-sings-harbor".equals(id) ? "quiet-lemon-sings-garden" : "quiet-lemon-sings-harbor");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(unknown.terminal()).contains("AGENT-EXIT=1"));
        assertThat(unknown.terminal().replace("\n", "")).contains("session not found or already closed — ask support for a new session ID");

        connectedAgent(id);
        CustomerAgent intruder = agent(id);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(intruder.terminal()).contains("AGENT-EXIT=1"));
        assertThat(intruder.terminal().replace("\n", "")).contains("session not found or already closed");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(relay.audit("login-refused"))
                .anyMatch(row -> row.startsWith("unknown-session|customer|"))
                .anyMatch(row -> row.startsWith("wrong-key|customer|")));
    }

    @Test
    void withoutTmuxTheAgentSaysWhatToDo() {
        String id = createSession();
        CustomerAgent noTmux = CustomerAgent.start(temp.resolve("c-" + token()), "/nonexistent", relay.sshPort(), caFile, id);
        cleanup.add(noTmux);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(noTmux.terminal()).contains("AGENT-EXIT=4"));
        assertThat(noTmux.terminal().replace("\n", "")).contains("tmux is not installed", "--tunnel");
    }

    @Test
    void joinWaitsForTheCustomerAndRefusesUnknownSessions() {
        OpenSshClient.Result unknown = ssh.ssh(aliceKey, relay.sshPort(), "alice", "-tt", "--", "join", "quiet-lemon-sings-harbor");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.stdout() + unknown.stderr()).contains("fatal: no open session quiet-lemon-sings-harbor");
        OpenSshClient.Result noTty = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "join", "quiet-lemon-sings-harbor");
        assertThat(noTty.stderr()).contains("fatal: join needs a terminal: run it as ssh -t");

        String id = createSession();
        EngineerStream early = join(aliceKey, "alice", id);
        await().atMost(PATIENCE).until(() -> early.output().contains("waiting for the customer to connect (linbit-tunl " + id + ")"));
        CustomerAgent customer = connectedAgent(id);
        String marker = token();
        customer.typeInShell("echo arrived-$((4+4))-" + marker);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(early.output()).contains("customer connected", "arrived-8-" + marker));
    }

    @Test
    void aMalformedFrameClosesOnlyThatChannelAndIsAudited() throws Exception {
        String id = createSession();
        CustomerAgent customer = connectedAgent(id);
        EngineerStream alice = join(aliceKey, "alice", id);

        Path garbage = temp.resolve("garbage-" + token());
        Files.write(garbage, new byte[] {0, 0, 0, 3, 0x42, 1, 2});
        Path stranger = ssh.generateKey("stranger-" + token(), "ed25519", 0);
        List<String> command = new ArrayList<>(ssh.sshCommand(stranger, relay.sshPort(), "other-lemon-sings-harbor", "--", "tunl-agent"));
        OpenSshClient.Result refused = ssh.run(List.of("sh", "-c", String.join(" ", command.stream().map(w -> "'" + w + "'").toList())
                + " < " + garbage), 30);
        assertThat(refused.stdout()).contains("protocol error: unknown frame type 0x42");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(relay.audit("protocol-violation"))
                .anyMatch(row -> row.equals("|customer|unknown frame type 0x42")));

        String marker = token();
        alice.type("echo still-$((9+1))-" + marker + "\r");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("still-10-" + marker));
    }

    @Test
    void runningTheAgentAgainTakesOverWithoutEndingTheShell() {
        String id = createSession();
        Path home = temp.resolve("customer-" + UUID.randomUUID());
        CustomerAgent first = CustomerAgent.start(home, relay.sshPort(), caFile, id);
        cleanup.add(first);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(first.chatPane()).contains("relay connected"));
        first.typeInShell("echo shell-pid-$$");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(first.shellPane()).containsPattern("shell-pid-\\d+"));
        String pid = first.shellPane().replaceAll("(?s).*shell-pid-(\\d+).*", "$1");

        CustomerAgent second = CustomerAgent.start(home, relay.sshPort(), caFile, id);
        cleanup.add(second);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(first.terminal()).contains("AGENT-EXIT=0"));
        assertThat(first.terminal().replace("\n", "")).contains("continues in another linbit-tunl");
        EngineerStream alice = join(aliceKey, "alice", id);
        alice.type("echo same-$$\r");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(second.shellPane()).contains("same-" + pid));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(second.chatPane()).contains("relay connected", "1v"));
        assertThat(relay.jdbc().sql("select state from support_session where id = ?").param(id).query(String.class).single())
                .isEqualTo("ACTIVE");
    }

    @Test
    void exitingTheSharedShellEndsTheSession() {
        String id = createSession();
        CustomerAgent customer = connectedAgent(id);
        EngineerStream alice = join(aliceKey, "alice", id);

        customer.typeInShell("exit");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal()).contains("AGENT-EXIT=0"));
        assertThat(customer.terminal().replace("\n", "")).contains("The shared shell exited.", "Session ended. Your recording: ");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(alice.output()).contains("session ended by customer"));
    }

    @Test
    void aStalledViewerDoesNotHoldUpAnotherViewer() {
        String id = createSession();
        CustomerAgent customer = connectedAgent(id);
        EngineerStream stalled = EngineerStream.stalled(ssh, bobKey, relay.sshPort(), "bob", "join", id);
        cleanup.add(stalled);
        EngineerStream watcher = join(aliceKey, "alice", id);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("2v"));
        long before = watcher.bytesReceived();

        String marker = token();
        customer.typeInShell("head -c 10000000 /dev/zero | tr '\\0' x | fold -w 100; echo done-$((7*6))-" + marker);

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(watcher.output()).contains("done-42-" + marker));
        assertThat(watcher.bytesReceived() - before).isGreaterThan(10_000_000L);
        String marker2 = token();
        customer.typeInShell("echo after-$((1+1))-" + marker2);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(watcher.output()).contains("after-2-" + marker2));
    }
}
