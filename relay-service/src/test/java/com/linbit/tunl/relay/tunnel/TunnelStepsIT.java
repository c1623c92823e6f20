package com.linbit.tunl.relay.tunnel;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameWriter;
import com.linbit.tunl.protocol.Limits;
import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.relay.support.TestRelay;
import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.OpenSshClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay's tunnel state machine against a customer that does not follow the script: answers
 * nobody asked for and a forward before any grant are refused and audited, and nothing opens.
 */
class TunnelStepsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path temp;
    static RelayFixture fixture;
    static TestRelay relay;
    static OpenSshClient ssh;
    static Path aliceKey;
    static Path caFile;
    /** Short, so a session reaches it within the test; the off-script test is over well before. */
    private static final Duration MAX_DURATION = Duration.ofSeconds(20);

    @BeforeAll
    static void startRelay() throws Exception {
        fixture = RelayFixture.start(temp, "tunl.session.max-duration=" + MAX_DURATION.toSeconds() + "s",
                "tunl.session.expiry-check-interval=1s");
        relay = fixture.relay();
        ssh = fixture.ssh();
        aliceKey = fixture.aliceKey();
        caFile = fixture.caFile();
    }

    @AfterAll
    static void stopRelay() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void decisionsNobodyAskedForAndForwardsFromUnclaimedConnectionsAreRejectedAndAudited() throws Exception {
        OpenSshClient.Result created = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "create-session");
        String id = created.lines().get(0);
        Path customerKey = ssh.generateKey("customer-" + UUID.randomUUID().toString().substring(0, 8), "ed25519", 0);

        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        FrameWriter.write(frames, new Frame.Hello(Limits.VERSION, "share", "scripted-host", "test", "scripted-run", 1));
        FrameWriter.write(frames, new Frame.TunnelDecision("granted", "alice"));
        FrameWriter.write(frames, new Frame.TunnelDecision("revoked", "alice"));
        Path script = temp.resolve("frames-" + id);
        Files.write(script, frames.toByteArray());
        OpenSshClient.Result agent = ssh.run(ssh.sshCommand(customerKey, relay.sshPort(), id, "--", "tunl-agent"), script, 30);
        assertThat(agent.stdout()).contains("that tunnel answer came too late or twice; nothing changed");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(relay.audit("tunnel-step-rejected"))
                .contains("|customer|granted for alice while none", "|customer|revoked for alice while none"));

        List<String> forward = new ArrayList<>(ssh.sshCommand(customerKey, relay.sshPort(), id,
                "-N", "-o", "ExitOnForwardFailure=yes", "-R", id + ":22:127.0.0.1:9"));
        OpenSshClient.Result refused = ssh.run(forward, 30);
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.stderr()).contains("remote port forwarding failed");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(relay.audit("forwarding-refused"))
                .contains("tcpip-forward|" + id + "|" + id + ":22 (this connection has not claimed " + id + ")"));
        assertThat(relay.audit("tunnel-granted")).isEmpty();
    }

    @Test
    void keysNeverOutliveTheSessionAndTheSessionEndsAtItsMaximumDuration() throws Exception {
        String id = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "create-session").lines().get(0);
        Path home = temp.resolve("customer-" + id);
        Path authorizedKeys = home.resolve(".ssh/authorized_keys");
        try (CustomerAgent customer = CustomerAgent.start(home, "/nonexistent", relay.sshPort(), caFile, id, "--tunnel")) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal()).contains("tunnel open"));
            Instant claimed = relay.jdbc().sql("select claimed_at from support_session where id = ?").param(id)
                    .query(java.sql.Timestamp.class).single().toInstant();
            String line = Files.readString(authorizedKeys).strip();
            // No sshd answers on port 22 here, so the agent writes the form every sshd from 7.7 reads:
            // local time, in the system's zone.
            assertThat(customer.terminal().replace("\n", "")).contains("no sshd answers on port 22 of this machine");
            assertThat(line).matches("expiry-time=\"\\d{14}\" ssh-ed25519 .*");
            Instant expiry = java.time.LocalDateTime.parse(line.replaceAll("^expiry-time=\"(\\d{14})\".*", "$1"),
                    java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")).atZone(java.time.ZoneId.systemDefault()).toInstant();
            assertThat(expiry).as("expiry-time is bounded by the session's latest end, not the 12 h key lifetime")
                    .isBeforeOrEqualTo(claimed.plus(MAX_DURATION).plusSeconds(1)).isAfter(claimed);

            await().atMost(MAX_DURATION.plus(PATIENCE)).untilAsserted(() -> assertThat(customer.terminal())
                    .contains("The session reached its maximum duration and ended."));
            assertThat(Files.exists(authorizedKeys)).isFalse();
            assertThat(relay.audit("session-closed")).contains("max-duration|relay|");
        }
    }
}
