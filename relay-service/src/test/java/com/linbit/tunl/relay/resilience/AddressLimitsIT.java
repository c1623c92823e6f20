package com.linbit.tunl.relay.resilience;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameWriter;
import com.linbit.tunl.protocol.Limits;
import com.linbit.tunl.relay.session.SessionUnavailableException;
import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.testing.OpenSshClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Limits per source address, each on a relay of its own, since they shut the address out for a while. */
class AddressLimitsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void guessingSessionIdsShutsTheAddressOutEvenForARealSession() throws Exception {
        try (RelayFixture fixture = RelayFixture.start(temp, "tunl.ssh.unknown-session-attempts-per-minute=5")) {
            String real = fixture.ssh().ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "create-session")
                    .lines().get(0);
            for (int i = 0; i < 5; i++) {
                assertThat(claim(fixture, "quiet-lemon-sings-harbor")).contains(SessionUnavailableException.PUBLIC_MESSAGE);
            }
            assertThat(claim(fixture, real)).as("the same answer, so guessing learns nothing")
                    .contains(SessionUnavailableException.PUBLIC_MESSAGE);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(fixture.relay().audit("login-refused"))
                    .filteredOn(row -> row.startsWith("unknown-session|")).hasSize(5));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(fixture.relay().audit("login-refused"))
                    .anyMatch(row -> row.startsWith("rate-limited|customer|")));
            assertThat(fixture.relay().jdbc().sql("select state from support_session where id = ?").param(real)
                    .query(String.class).single()).isEqualTo("WAITING");
            assertThat(fixture.ssh().ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "whoami").exit())
                    .as("engineers from the address are not affected").isZero();
        }
    }

    @Test
    void connectionsPastTheLimitPerAddressAreClosedOnArrival() throws Exception {
        try (RelayFixture fixture = RelayFixture.start(temp, "tunl.ssh.max-connections-per-address=3")) {
            OpenSshClient ssh = fixture.ssh();
            String id = ssh.ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "create-session").lines().get(0);
            List<Process> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Process chat = ssh.start(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "chat", id, "--events");
                    held.add(chat);
                    assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(chat.getInputStream())).readLine())
                            .isNotNull();
                }
                OpenSshClient.Result fourth = ssh.ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "whoami");
                assertThat(fourth.exit()).isNotZero();
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(fixture.relay().audit("connection-refused"))
                        .anyMatch(row -> row.startsWith("too-many-connections|unknown|3 open from this address, limit 3")));
            } finally {
                held.forEach(Process::destroyForcibly);
            }
            await().atMost(PATIENCE).until(() -> ssh.ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "whoami")
                    .exit() == 0);
        }
    }

    private String claim(RelayFixture fixture, String id) throws Exception {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        FrameWriter.write(frames, new Frame.Hello(Limits.VERSION, "share", "guesser", "test", UUID.randomUUID().toString(), 1));
        Path script = Files.write(temp.resolve("frames-" + UUID.randomUUID()), frames.toByteArray());
        Path key = fixture.ssh().generateKey("guesser-" + UUID.randomUUID().toString().substring(0, 8), "ed25519", 0);
        return fixture.ssh().run(fixture.ssh().sshCommand(key, fixture.relay().sshPort(), id, "--", "tunl-agent"), script, 30)
                .stdout();
    }
}
