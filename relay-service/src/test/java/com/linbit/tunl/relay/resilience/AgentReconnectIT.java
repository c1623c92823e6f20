package com.linbit.tunl.relay.resilience;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.json.JsonMapper;

import com.linbit.tunl.relay.recording.Recordings;
import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.relay.support.TestRelay;
import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.CustomerSshd;
import com.linbit.tunl.testing.EngineerStream;
import com.linbit.tunl.testing.FaultyLink;
import com.linbit.tunl.testing.OpenSshClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Network trouble between the customer's agent and the relay, made by a loopback proxy that cuts,
 * refuses or stalls the connection: the session waits, the agent reconnects on its own, and
 * nothing is lost: output written during the outage reaches the viewers and the relay's recording,
 * chat both ways arrives once, and the customer's shell is the same process throughout.
 */
class AgentReconnectIT {

    private static final Duration PATIENCE = Duration.ofSeconds(45);
    /** Quick keepalives on both ends, so a stalled network is noticed in seconds, not minutes. */
    private static final Map<String, String> QUICK_KEEPALIVE = Map.of("TUNL_KEEPALIVE", "1");
    private static final String[] RELAY_KEEPALIVE = {"tunl.ssh.heartbeat-interval=1s", "tunl.ssh.heartbeat-max-missed=3"};

    @TempDir
    Path temp;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void aFiveSecondBlipLosesNothingAndKeepsTheSameShell() throws Exception {
        Connected session = connectThroughFaultyLink();
        RelayFixture fixture = session.fixture();
        TestRelay relay = fixture.relay();
        FaultyLink link = session.link();
        String id = session.id();
        CustomerAgent customer = session.customer();
        EngineerStream viewer = started(EngineerStream.open(fixture.ssh(), fixture.aliceKey(), relay.sshPort(), "alice", "join", id));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));
        String shell = shellPid(customer);

        link.refuse(true);
        link.cut();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("reconnecting (attempt"));
        await().atMost(PATIENCE).until(() -> state(relay, id).equals("RECONNECTING"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(viewer.output()).contains("customer reconnecting"));
        customer.typeInShell("echo written-during-the-outage-$((40+4))");
        customer.typeInChat("said by the customer while cut off");
        say(fixture, id, "said by alice while the customer was cut off");
        Thread.sleep(5000);
        link.refuse(false);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected")
                .contains("said by alice while the customer was cut off"));
        await().atMost(PATIENCE).until(() -> state(relay, id).equals("ACTIVE"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(viewer.output()).contains("written-during-the-outage-44"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(chatLines(relay, id))
                .as(() -> "chat pane:\n" + customer.chatPane() + "\nagent log:\n" + agentLog(customer))
                .contains("customer|said by the customer while cut off"));
        assertThat(occurrences(customer.chatPane(), "said by alice while the customer was cut off")).as("shown once").isEqualTo(1);
        assertThat(shellPid(customer)).as("the same shell process").isEqualTo(shell);

        endSession(customer);
        String recording = recording(relay, id);
        assertThat(recording).contains("written-during-the-outage-44");
        assertThat(relay.audit("session-reconnecting")).hasSize(1);
        assertThat(relay.audit("session-resumed")).hasSize(1);
    }

    @Test
    void aStalledNetworkIsNoticedByKeepalivesAndOutputWrittenMeanwhileAllArrives() throws Exception {
        Connected session = connectThroughFaultyLink();
        RelayFixture fixture = session.fixture();
        TestRelay relay = fixture.relay();
        FaultyLink link = session.link();
        String id = session.id();
        CustomerAgent customer = session.customer();
        EngineerStream viewer = started(EngineerStream.open(fixture.ssh(), fixture.aliceKey(), relay.sshPort(), "alice", "join", id));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));
        String shell = shellPid(customer);

        link.stall(true);
        customer.typeInShell("seq 1 20000 | sed 's/^/L/;s/$/E/'; echo stalled-output-done-$((1+1))");
        customer.typeInChat("said by the customer while frozen");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("reconnecting (attempt"));
        await().atMost(PATIENCE).until(() -> state(relay, id).equals("RECONNECTING"));
        say(fixture, id, "said by alice while the customer was frozen");
        link.stall(false);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected",
                "said by alice while the customer was frozen"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(viewer.output()).as("the viewer is resynced")
                .contains("stalled-output-done-2"));
        await().atMost(PATIENCE).until(() -> chatLines(relay, id).contains("customer|said by the customer while frozen"));
        assertThat(chatLines(relay, id)).filteredOn(line -> line.endsWith("while frozen")).hasSize(1);
        assertThat(shellPid(customer)).isEqualTo(shell);
        endSession(customer);
        String recording = recording(relay, id);
        assertThat(recording).contains("stalled-output-done-2");
        Matcher lines = Pattern.compile("L(\\d+)E").matcher(recording);
        int expected = 1;
        while (lines.find()) {
            assertThat(Integer.parseInt(lines.group(1))).as("every line once, in order").isEqualTo(expected++);
        }
        assertThat(expected - 1).as("lines in the relay's recording").isEqualTo(20000);
    }

    @Test
    void outputBeyondTheOutageBufferLeavesAMarkedGapAndTheRestArrives() throws Exception {
        RelayFixture fixture = started(RelayFixture.start(temp, RELAY_KEEPALIVE));
        FaultyLink link = started(FaultyLink.to(fixture.relay().sshPort()));
        String id = createSession(fixture);
        CustomerAgent customer = started(CustomerAgent.start(temp.resolve("customer"), null, QUICK_KEEPALIVE, link.port(),
                fixture.caFile(), id, "--outage-buffer", "64K"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));

        link.refuse(true);
        link.cut();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("reconnecting (attempt"));
        customer.typeInShell("seq 1 100000 | sed 's/^/G/;s/$/E/'; echo after-the-flood-$((2+2))");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("after-the-flood-4"));
        link.refuse(false);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane())
                .contains("bytes of output could not be kept; the recording marks the gap"));
        endSession(customer);
        String cast = castOf(fixture.relay(), id);
        assertThat(cast).containsPattern("\\[[0-9.]+,\"m\",\"gap: [0-9]+ bytes of output lost while the customer was reconnecting\"\\]");
        assertThat(recording(fixture.relay(), id)).as("the newest output made it").contains("G100000E", "after-the-flood-4");
    }

    @Test
    void theRelayRestartsOnTheSameDataFolderAndTheSessionGoesOnWithItsRecording() throws Exception {
        Connected session = connectThroughFaultyLink();
        RelayFixture fixture = session.fixture();
        FaultyLink link = session.link();
        String id = session.id();
        CustomerAgent customer = session.customer();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));
        String shell = shellPid(customer);
        customer.typeInShell("echo before-the-restart-$((1+1))");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("before-the-restart-2"));

        TestRelay restarted = started(fixture.relay().restart());
        customer.typeInChat("said by the customer during the restart");
        link.retarget(restarted.sshPort());

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("reconnected to the relay"));
        await().atMost(PATIENCE).until(() -> chatLines(restarted, id).contains("customer|said by the customer during the restart"));
        await().atMost(PATIENCE).until(() -> state(restarted, id).equals("ACTIVE"));
        assertThat(restarted.audit("relay-stopped")).hasSize(1);
        assertThat(restarted.audit("relay-started")).hasSize(2).last().asString().contains("sessions-waiting-for-customers=1");
        // Stock ssh users re-run join; the CA line names the relay's port, which a restart in a test changes.
        OpenSshClient ssh = new OpenSshClient(temp.resolve("engineers-after-restart"), restarted.get("/known_hosts").body());
        EngineerStream viewer = started(EngineerStream.open(ssh, fixture.aliceKey(), restarted.sshPort(), "alice", "join", id));
        customer.typeInShell("echo after-the-restart-$((2+1))");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(viewer.output()).contains("after-the-restart-3"));
        assertThat(shellPid(customer)).isEqualTo(shell);

        endSession(customer);
        assertThat(recording(restarted, id)).contains("before-the-restart-2", "after-the-restart-3");
    }

    @Test
    void anAgentKilledAndStartedAgainWithTheSameIdResumesTheSameShell() throws Exception {
        RelayFixture fixture = started(RelayFixture.start(temp, RELAY_KEEPALIVE));
        TestRelay relay = fixture.relay();
        String id = createSession(fixture);
        Path home = temp.resolve("customer");
        CustomerAgent first = started(CustomerAgent.start(home, relay.sshPort(), fixture.caFile(), id));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(first.chatPane()).contains("relay connected"));
        String shell = shellPid(first);

        first.killAgent();
        await().atMost(PATIENCE).until(() -> state(relay, id).equals("RECONNECTING"));
        first.closeTerminal();
        CustomerAgent again = started(CustomerAgent.start(home, relay.sshPort(), fixture.caFile(), id));

        await().atMost(PATIENCE).until(() -> state(relay, id).equals("ACTIVE"));
        // The chat pane is the surviving tmux's: the new run is there once its client shows it.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(again.terminal()).contains("[LINBIT SHARE] " + id));
        assertThat(relay.audit("session-resumed")).hasSize(1);
        assertThat(shellPid(again)).as("the shell in the session's tmux lived on and was re-attached").isEqualTo(shell);
        endSession(again);
        assertThat(state(relay, id)).isEqualTo("CLOSED");
    }

    @Test
    void aGrantedTunnelSurvivesABlipAndARelayRestartWithoutAskingAgain() throws Exception {
        RelayFixture fixture = started(RelayFixture.start(temp, RELAY_KEEPALIVE));
        FaultyLink link = started(FaultyLink.to(fixture.relay().sshPort()));
        String id = createSession(fixture);
        Path home = temp.resolve("customer");
        Path authorizedKeys = home.resolve(".ssh/authorized_keys");
        CustomerSshd sshd = started(CustomerSshd.start(temp.resolve("sshd"), authorizedKeys));
        CustomerAgent customer = started(CustomerAgent.start(home, null, QUICK_KEEPALIVE, link.port(), fixture.caFile(), id,
                "--tunnel", "--ssh-port", Integer.toString(sshd.port())));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("tunnel open"));
        Path jump = fixture.ssh().jumpConfig(fixture.aliceKey(), fixture.relay().sshPort(), "alice");
        assertThat(loginThroughTunnel(fixture.ssh(), jump, id).exit()).isZero();

        link.refuse(true);
        link.cut();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("reconnecting (attempt"));
        assertThat(Files.readString(authorizedKeys)).as("the grant is kept while reconnecting").contains("tunl:" + id + ":alice");
        link.refuse(false);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("tunnel open again for alice"));
        await().atMost(PATIENCE).until(() -> loginThroughTunnel(fixture.ssh(), jump, id).exit() == 0);

        TestRelay restarted = started(fixture.relay().restart());
        link.retarget(restarted.sshPort());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(occurrences(customer.chatPane(), "tunnel open again for alice"))
                .isEqualTo(2));
        OpenSshClient ssh = new OpenSshClient(temp.resolve("engineers-after-restart"), restarted.get("/known_hosts").body());
        Path jumpAfter = ssh.jumpConfig(fixture.aliceKey(), restarted.sshPort(), "alice");
        await().atMost(PATIENCE).until(() -> loginThroughTunnel(ssh, jumpAfter, id).exit() == 0);
        assertThat(restarted.audit("tunnel-resumed")).hasSize(2);
        assertThat(restarted.audit("tunnel-requested")).as("the customer was asked once").hasSize(1);

        endSession(customer);
        assertThat(Files.exists(authorizedKeys)).isFalse();
    }

    private static OpenSshClient.Result loginThroughTunnel(OpenSshClient ssh, Path jump, String id) {
        return ssh.run(OpenSshClient.jumpCommand(jump, "root@" + id, "id"), 30);
    }

    /** A relay, and a customer agent reaching it only through a {@link FaultyLink}. */
    private record Connected(RelayFixture fixture, FaultyLink link, String id, CustomerAgent customer) {
    }

    private Connected connectThroughFaultyLink() throws Exception {
        RelayFixture fixture = started(RelayFixture.start(temp, RELAY_KEEPALIVE));
        FaultyLink link = started(FaultyLink.to(fixture.relay().sshPort()));
        String id = createSession(fixture);
        CustomerAgent customer = started(CustomerAgent.start(temp.resolve("customer"), null, QUICK_KEEPALIVE, link.port(),
                fixture.caFile(), id));
        return new Connected(fixture, link, id, customer);
    }

    private <T extends AutoCloseable> T started(T resource) {
        cleanup.add(resource);
        return resource;
    }

    private static String createSession(RelayFixture fixture) {
        return fixture.ssh().ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "create-session", "--case", "77")
                .lines().get(0);
    }

    private static String shellPid(CustomerAgent customer) {
        String marker = "shell-pid-" + System.nanoTime();
        customer.typeInShell("echo " + marker + "=$$");
        Pattern pid = Pattern.compile(marker + "=(\\d+)");
        await().atMost(PATIENCE).until(() -> pid.matcher(customer.shellPane()).find());
        Matcher found = pid.matcher(customer.shellPane());
        assertThat(found.find()).isTrue();
        return found.group(1);
    }

    private static void say(RelayFixture fixture, String id, String text) {
        OpenSshClient.Result said = fixture.ssh().run(fixture.ssh().sshCommand(fixture.aliceKey(), fixture.relay().sshPort(),
                "alice", "--", "chat", id, "--say", "'" + text + "'"), 30);
        assertThat(said.exit()).as(said.stderr()).isZero();
    }

    private static void endSession(CustomerAgent customer) {
        customer.press("C-b", "Q");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal()).contains("AGENT-EXIT=0"));
    }

    private static String state(TestRelay relay, String id) {
        return relay.jdbc().sql("select state from support_session where id = ?").param(id).query(String.class).single();
    }

    private static List<String> chatLines(TestRelay relay, String id) {
        return relay.jdbc().sql("select author || '|' || text from chat_message where session_id = ? order by id")
                .param(id).query(String.class).list();
    }

    private static String agentLog(CustomerAgent customer) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(customer.stateFolder())) {
            StringBuilder log = new StringBuilder();
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".log")).toList()) {
                log.append(java.nio.file.Files.readString(file));
            }
            return log.toString();
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The relay's recording as one asciicast, once the session closed and all its parts did. */
    private static String castOf(TestRelay relay, String id) throws Exception {
        await().atMost(PATIENCE).until(() -> state(relay, id).equals("CLOSED"));
        // Every part on disk registered (a part closes on the recording writers, after the session).
        await().atMost(PATIENCE).until(() -> {
            long registered = relay.jdbc().sql("select count(*) from recording_file where session_id = ?")
                    .param(id).query(Long.class).single();
            return registered >= 2 && registered == partsOnDisk(relay, id);
        });
        StringWriter cast = new StringWriter();
        relay.bean(Recordings.class).export(id, cast);
        return cast.toString();
    }

    private static long partsOnDisk(TestRelay relay, String id) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(relay.bean(Recordings.class).root())) {
            return files.filter(file -> file.getFileName().toString().matches(Pattern.quote(id) + "-part\\d+\\.cast")).count();
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    /** The output in the relay's recording of the whole session, every part joined, once every part is closed. */
    private static String recording(TestRelay relay, String id) throws Exception {
        String cast = castOf(relay, id);
        StringBuilder output = new StringBuilder();
        JsonMapper json = JsonMapper.builder().build();
        cast.lines().skip(1).map(json::readTree).filter(event -> event.get(1).asString().equals("o"))
                .forEach(event -> output.append(event.get(2).asString()));
        return output.toString();
    }
}
