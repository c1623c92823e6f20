package com.linbit.tunl.relay.resilience;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.security.KeyPair;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

import com.linbit.tunl.client.RelayAddress;
import com.linbit.tunl.client.RelaySsh;
import com.linbit.tunl.client.RelayTrust;
import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameWriter;
import com.linbit.tunl.protocol.Limits;
import com.linbit.tunl.relay.session.SessionUnavailableException;
import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.relay.support.TestRelay;
import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.EngineerStream;
import com.linbit.tunl.testing.OpenSshClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Hostile and broken input against one relay, while a real session (customer agent in tmux, an
 * engineer watching) goes on beside it: each case is refused with a message a person can act on,
 * leaves an audit row with its reason, and after each case that session still works.
 */
class HostileInputIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String UNIFORM = SessionUnavailableException.PUBLIC_MESSAGE;

    @TempDir
    static Path temp;
    static RelayFixture fixture;
    static TestRelay relay;
    static OpenSshClient ssh;
    static Path alice;
    static String bystander;
    static CustomerAgent bystanderCustomer;
    static EngineerStream bystanderViewer;

    @BeforeAll
    static void startRelayAndABystanderSession() throws Exception {
        fixture = RelayFixture.start(temp, "tunl.session.max-open-per-engineer=4");
        relay = fixture.relay();
        ssh = fixture.ssh();
        alice = fixture.aliceKey();
        bystander = create(alice, "alice");
        bystanderCustomer = CustomerAgent.start(temp.resolve("bystander"), relay.sshPort(), fixture.caFile(), bystander);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(bystanderCustomer.chatPane()).contains("relay connected"));
        bystanderViewer = EngineerStream.open(ssh, alice, relay.sshPort(), "alice", "join", bystander);
    }

    @AfterAll
    static void stop() {
        if (bystanderViewer != null) {
            bystanderViewer.close();
        }
        if (bystanderCustomer != null) {
            bystanderCustomer.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void theOtherSessionIsUnaffected() {
        String marker = "unaffected-" + UUID.randomUUID().toString().substring(0, 8);
        bystanderCustomer.typeInShell("echo " + marker + "-$((1+1))");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(bystanderViewer.output()).contains(marker + "-2"));
        assertThat(state(bystander)).isEqualTo("ACTIVE");
    }

    @Test
    void anUnknownSessionIdGetsTheUniformMessage() throws Exception {
        assertThat(agent("quiet-lemon-sings-harbor", customerKey(), hello("share"))).contains(UNIFORM);
        awaitAudit("login-refused", "unknown-session|customer|");
    }

    @Test
    void aSecondKeyForAClaimedSessionGetsTheUniformMessage() throws Exception {
        assertThat(agent(bystander, customerKey(), hello("share"))).contains(UNIFORM);
        awaitAudit("login-refused", "wrong-key|customer|");
    }

    @Test
    void aClosedSessionCannotBeClaimedAgain() throws Exception {
        String id = create(alice, "alice");
        Path key = customerKey();
        agent(id, key, hello("share"), new Frame.End("customer"));
        assertThat(agent(id, key, hello("share"))).contains(UNIFORM);
        awaitAudit("login-refused", "closed-session|customer|");
    }

    @Test
    void anOlderAgentIsToldToUpgrade() throws Exception {
        String id = create(alice, "alice");
        assertThat(agent(id, customerKey(), new Frame.Hello(1, "share", "old-host", "0.0.1", "", 1)))
                .contains("this relay speaks protocol versions " + Limits.OLDEST_VERSION + " to " + Limits.VERSION,
                        "download the current linbit-tunl");
        awaitAudit("login-refused", "unsupported-version|customer|version 1");
        close(id);
    }

    @Test
    void anAgentOfTheOldestVersionStillServedIsWelcomed() throws Exception {
        String id = create(alice, "alice");
        String answer = agent(id, customerKey(), new Frame.Hello(Limits.OLDEST_VERSION, "share", "older-agent", "0.1.0",
                UUID.randomUUID().toString(), 1), new Frame.End("customer"));
        assertThat(answer).contains(id).doesNotContain("protocol version");
        await().atMost(PATIENCE).until(() -> state(id).equals("CLOSED"));
    }

    @Test
    void anAgentsNoticesReachTheEngineersAsPlainTextAndAFloodIsCut() throws Exception {
        String id = create(alice, "alice");
        try (EngineerStream watcher = EngineerStream.open(ssh, alice, relay.sshPort(), "alice", "join", id)) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(watcher.output()).contains("joined " + id));
            Frame[] frames = new Frame[22];
            frames[0] = hello("share");
            for (int i = 1; i < frames.length - 1; i++) {
                frames[i] = new Frame.AgentNotice("tmux send-keys failed \u001b[31mred " + i);
            }
            frames[frames.length - 1] = new Frame.End("customer");
            agent(id, customerKey(), frames);

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(watcher.output())
                    .contains("the customer's agent on scripted-host: tmux send-keys failed ^[[31mred 1"));
        }
        await().atMost(PATIENCE).until(() -> state(id).equals("CLOSED"));
        assertThat(relay.audit("agent-problem").stream().filter(row -> row.contains("red ")).toList())
                .as("a burst of 5 is passed on, the rest of the flood dropped")
                .hasSize(5)
                .first().asString().isEqualTo("|customer|tmux send-keys failed ^[[31mred 1");
    }

    @Test
    void aFirstFrameOtherThanHelloIsAProtocolViolation() throws Exception {
        String id = create(alice, "alice");
        assertThat(agent(id, customerKey(), new Frame.Output("hi".getBytes(StandardCharsets.UTF_8))))
                .contains("protocol error: the first frame must be HELLO");
        awaitAudit("protocol-violation", "|customer|the first frame must be HELLO");
        close(id);
    }

    @Test
    void anOversizedFrameIsRefused() throws Exception {
        String id = create(alice, "alice");
        byte[] oversized = {0x00, 0x20, 0x00, 0x00, 0x02};
        assertThat(agentRaw(id, customerKey(), concat(encode(hello("share")), oversized))).contains("protocol error");
        awaitAudit("protocol-violation", "outside 1..");
        close(id);
    }

    @Test
    void anUnknownFrameTypeIsRefused() throws Exception {
        String id = create(alice, "alice");
        assertThat(agentRaw(id, customerKey(), concat(encode(hello("share")), new byte[] {0, 0, 0, 1, 0x42})))
                .contains("protocol error: unknown frame type 0x42");
        awaitAudit("protocol-violation", "unknown frame type 0x42");
        close(id);
    }

    @Test
    void aRelayFrameSentByTheAgentIsRefused() throws Exception {
        String id = create(alice, "alice");
        assertThat(agent(id, customerKey(), hello("share"), new Frame.Notice("I am the relay")))
                .contains("NOTICE frames go from the relay to the agent, not back");
        awaitAudit("protocol-violation", "NOTICE frames go from the relay to the agent");
        close(id);
    }

    @Test
    void invalidUtf8InChatIsRefused() throws Exception {
        String id = create(alice, "alice");
        byte[] badChat = {0, 0, 0, 7, 0x05, 0, 0, 0, 2, (byte) 0xc3, 0x28};
        assertThat(agentRaw(id, customerKey(), concat(encode(hello("share")), badChat)))
                .contains("protocol error: text field is not valid UTF-8");
        awaitAudit("protocol-violation", "text field is not valid UTF-8");
        close(id);
    }

    @Test
    void anOverlongCustomerChatLineIsRefusedNotCut() throws Exception {
        String id = create(alice, "alice");
        assertThat(agent(id, customerKey(), hello("share"), new Frame.CustomerChat("x".repeat(2001))))
                .contains("chat line too long (2001 characters; at most 2000): nothing sent, split it up");
        awaitAudit("chat-refused", "too-long|customer|2001 characters");
        assertThat(chatCount(id)).isZero();
        close(id);
    }

    @Test
    void anOverlongEngineerChatLineIsRefused() {
        OpenSshClient.Result said = ssh.run(ssh.sshCommand(alice, relay.sshPort(), "alice", "--", "chat", bystander,
                "--say", "y".repeat(2001)), 30);
        assertThat(said.exit()).isNotZero();
        assertThat(said.stderr()).contains("fatal: chat line too long (2001 characters");
        awaitAudit("chat-refused", "too-long|alice|2001 characters");
    }

    @Test
    void absurdTerminalSizesAreClampedNotTrusted() throws Exception {
        String id = create(alice, "alice");
        agent(id, customerKey(), hello("share"), new Frame.Resize(0, 0), new Frame.Output("tiny".getBytes(StandardCharsets.UTF_8)),
                new Frame.Resize(65535, 65535), new Frame.End("customer"));
        await().atMost(PATIENCE).until(() -> relay.jdbc().sql("select count(*) from recording_file where session_id = ?")
                .param(id).query(Long.class).single() == 1);
        Path part = Path.of(relay.jdbc().sql("select path from recording_file where session_id = ?").param(id)
                .query(String.class).single());
        List<String> lines = Files.readAllLines(part);
        assertThat(lines.get(0)).contains("\"width\": 1, \"height\": 1");
        assertThat(lines).anyMatch(line -> line.contains("\"r\", \"" + Limits.MAX_TERMINAL + "x" + Limits.MAX_TERMINAL + "\""));
    }

    @Test
    void theModeNeverGoesUpOnReconnect() throws Exception {
        String id = create(alice, "alice");
        Path key = customerKey();
        agent(id, key, hello("restricted"));
        assertThat(agent(id, key, hello("share"))).contains("restricted", "--restricted");
        awaitAudit("login-refused", "mode-refused|customer|");
        close(id);
    }

    @Test
    void aTunnelAnswerNobodyAskedForChangesNothing() throws Exception {
        String id = create(alice, "alice");
        assertThat(agent(id, customerKey(), hello("share"), new Frame.TunnelDecision("granted", "alice")))
                .contains("that tunnel answer came too late or twice; nothing changed");
        awaitAudit("tunnel-step-rejected", "|customer|granted for alice while none");
        close(id);
    }

    @Test
    void joinAndChatAndTunnelRequestsForAClosedSessionAreRefused() throws Exception {
        String id = create(alice, "alice");
        close(id);
        OpenSshClient.Result join = ssh.run(ssh.sshCommand(alice, relay.sshPort(), "alice", "-tt", "--", "join", id), 30);
        assertThat(join.stdout() + join.stderr()).contains("fatal: no open session " + id);
        OpenSshClient.Result chat = ssh.ssh(alice, relay.sshPort(), "alice", "--", "chat", id, "--say", "hello");
        assertThat(chat.stderr()).contains("fatal:").contains(id);
        OpenSshClient.Result tunnel = ssh.ssh(alice, relay.sshPort(), "alice", "--", "request-tunnel", id, "--no-wait");
        assertThat(tunnel.exit()).isNotZero();
        assertThat(tunnel.stderr()).contains("fatal:");
        awaitAudit("command-refused", "unknown-session|alice|join: no open session " + id);
        assertThat(relay.audit("command-refused")).anyMatch(row -> row.contains("|alice|chat: "))
                .anyMatch(row -> row.contains("|alice|request-tunnel: "));
    }

    @Test
    void forwardingIntoTheRelaysNetworkIsRefused() {
        OpenSshClient.Result through = ssh.run(ssh.sshCommand(alice, relay.sshPort(), "alice",
                "-W", "127.0.0.1:" + relay.httpPort()), 30);
        assertThat(through.exit()).isNotZero();
        assertThat(through.stderr()).contains("stdio forwarding failed");
        awaitAudit("forwarding-refused", "127.0.0.1:" + relay.httpPort());
    }

    @Test
    void aCustomerConnectionCannotRunEngineerCommands() throws Exception {
        OpenSshClient.Result sessions = ssh.ssh(customerKey(), relay.sshPort(), bystander, "--", "sessions");
        assertThat(sessions.exit()).isNotZero();
        assertThat(sessions.stderr()).contains("fatal: customer connections only speak the agent protocol");
        awaitAudit("command-refused", "invalid-request|" + bystander + "|");
    }

    @Test
    void anUnknownCommandIsRefusedWithAHint() {
        OpenSshClient.Result bogus = ssh.ssh(alice, relay.sshPort(), "alice", "--", "rm", "-rf", "/");
        assertThat(bogus.stderr()).contains("fatal: unknown command 'rm'; run 'help' to see the commands");
        awaitAudit("command-refused", "invalid-request|alice|(invalid): unknown command 'rm'");
    }

    @Test
    void anInteractiveShellIsRefused() {
        OpenSshClient.Result shell = ssh.run(ssh.sshCommand(alice, relay.sshPort(), "alice", "-tt"), 30);
        assertThat(shell.exit()).isNotZero();
        awaitAudit("shell-refused", "|alice|");
    }

    @Test
    void anEngineerCannotHoardSessions() {
        Path carol = relay.registerEngineer(ssh, "carol");
        for (int i = 0; i < 4; i++) {
            create(carol, "carol");
        }
        OpenSshClient.Result fifth = ssh.ssh(carol, relay.sshPort(), "carol", "--", "create-session");
        assertThat(fifth.exit()).isNotZero();
        assertThat(fifth.stderr()).contains("fatal: create-session: you have 4 open sessions, the most one engineer may have");
        awaitAudit("session-refused", "too-many-sessions|carol|4 open, limit 4");
    }

    @Test
    void aChannelFloodIsRefusedPerChannelAndTheConnectionCarriesOn() throws Exception {
        // Stock ssh multiplexing falls back to a new connection when a channel is refused, so a
        // MINA client holds the channels on one connection.
        KeyPair key = new FileKeyPairProvider(alice).loadKeys(null).iterator().next();
        RelayTrust trust = RelayTrust.load(List.of(fixture.caFile()));
        try (RelaySsh connection = RelaySsh.connect(new RelayAddress("127.0.0.1", relay.sshPort()), "alice", key, trust)) {
            List<ChannelExec> held = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ChannelExec stream = connection.session().createExecChannel("chat " + bystander + " --events");
                stream.open().verify(PATIENCE);
                held.add(stream);
            }
            ChannelExec eleventh = connection.session().createExecChannel("whoami");
            assertThatThrownBy(() -> eleventh.open().verify(PATIENCE)).hasCauseInstanceOf(SshChannelOpenException.class)
                    .satisfies(refused -> assertThat(((SshChannelOpenException) refused.getCause()).getReasonCode())
                            .isEqualTo(SshConstants.SSH_OPEN_RESOURCE_SHORTAGE));
            awaitAudit("connection-refused", "too-many-channels|alice|session channel; 10 already open on this connection");

            held.get(0).close(false).await(PATIENCE);
            // The relay counts the channel gone once its side has closed too, a moment later.
            await().atMost(PATIENCE).until(() -> {
                ChannelExec another = connection.session().createExecChannel("whoami");
                try {
                    another.open().verify(PATIENCE);
                    return true;
                } catch (java.io.IOException refused) {
                    return false;
                } finally {
                    another.close(false);
                }
            });
            held.forEach(channel -> channel.close(true));
        }
    }

    @Test
    void aKeyRevokedMidSessionCutsItsJoinAndChatWithinFiveSeconds() throws Exception {
        Path bob = relay.registerEngineer(ssh, "bob");
        try (EngineerStream join = EngineerStream.open(ssh, bob, relay.sshPort(), "bob", "join", bystander)) {
            Process chat = ssh.start(bob, relay.sshPort(), "bob", "--", "chat", bystander, "--events");
            try {
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(join.output()).contains("joined " + bystander));
                String keys = relay.asAdmin("GET", "/api/admin/engineers/bob/keys", null, null).body();
                String keyId = keys.replaceAll("(?s).*\"id\":(\\d+).*", "$1");
                assertThat(relay.asAdmin("DELETE", "/api/admin/engineers/bob/keys/" + keyId, null, null).statusCode())
                        .isEqualTo(200);
                assertThat(join.waitForExit(5)).as("join cut within 5 s").isTrue();
                assertThat(chat.waitFor(5, TimeUnit.SECONDS)).as("chat cut within 5 s").isTrue();
            } finally {
                chat.destroyForcibly();
            }
        }
        awaitAudit("connection-closed-key-revoked", "revoked-key|bob|");
    }

    private static String create(Path key, String engineer) {
        OpenSshClient.Result created = ssh.ssh(key, relay.sshPort(), engineer, "--", "create-session");
        assertThat(created.exit()).as(created.stderr()).isZero();
        return created.lines().get(0);
    }

    private static void close(String id) {
        assertThat(relay.asAdmin("DELETE", "/api/admin/sessions/" + id, null, null).statusCode()).isLessThan(300);
    }

    private static Path customerKey() {
        return ssh.generateKey("customer-" + UUID.randomUUID().toString().substring(0, 8), "ed25519", 0);
    }

    private static Frame.Hello hello(String mode) {
        return new Frame.Hello(Limits.VERSION, mode, "scripted-host", "test", UUID.randomUUID().toString(), 1);
    }

    /** A scripted customer agent: these frames, then the end of input; returns what the relay sent back. */
    private static String agent(String id, Path key, Frame... frames) throws Exception {
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            FrameWriter.write(script, frame);
        }
        return agentRaw(id, key, script.toByteArray());
    }

    private static String agentRaw(String id, Path key, byte[] bytes) throws Exception {
        Path script = Files.write(temp.resolve("frames-" + UUID.randomUUID()), bytes);
        return ssh.run(ssh.sshCommand(key, relay.sshPort(), id, "--", "tunl-agent"), script, 30).stdout();
    }

    private static byte[] encode(Frame frame) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter.write(out, frame);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static void awaitAudit(String type, String part) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(relay.audit(type)).anyMatch(row -> row.contains(part)));
    }

    private static String state(String id) {
        return relay.jdbc().sql("select state from support_session where id = ?").param(id).query(String.class).single();
    }

    private static long chatCount(String id) {
        return relay.jdbc().sql("select count(*) from chat_message where session_id = ?").param(id).query(Long.class).single();
    }
}
