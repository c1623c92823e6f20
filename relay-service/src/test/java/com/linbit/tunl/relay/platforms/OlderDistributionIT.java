package com.linbit.tunl.relay.platforms;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.DebianRoot;
import com.linbit.tunl.testing.EngineerStream;
import com.linbit.tunl.testing.OpenSshClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The customer's side on Debian 11 as it ships, not on our build machine: the real agent runs with
 * bullseye's own OpenJDK 17, tmux 3.1c and OpenSSH 8.4p1 sshd in a debootstrap root, against the
 * relay on loopback. An engineer types and the command runs; Ctrl-b G, and stock {@code ssh -J}
 * logs in to bullseye's sshd (whose key line must be one sshd 8.4 reads); Ctrl-b R cuts it; Ctrl-b Q
 * ends cleanly and authorized_keys is as before.
 */
class OlderDistributionIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path temp;
    static RelayFixture fixture;
    static DebianRoot bullseye;

    @BeforeAll
    static void startRelayAndRoot() throws Exception {
        fixture = RelayFixture.start(temp);
        bullseye = DebianRoot.of(DebianRoot.BULLSEYE, DebianRoot.CUSTOMER_PACKAGES, temp.resolve("bullseye"));
    }

    @AfterAll
    static void stop() {
        if (bullseye != null) {
            bullseye.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void debian11sOwnTmuxSshdAndJavaShareTheShellAndGrantAndRevokeTheTunnel() throws Exception {
        assertThat(bullseye.run("tmux", "-V").strip()).isEqualTo("tmux 3.1c");
        Path authorizedKeys = bullseye.file("/root/.ssh/authorized_keys");
        Files.createDirectories(authorizedKeys.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        byte[] original = "# root's own keys\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf1n2Pv7d6m8F0k3Z8mU8m8bq6Hj0mC2Jp5n9cYwqXr admin@laptop\n"
                .getBytes(StandardCharsets.UTF_8);
        Files.write(authorizedKeys, original);
        Files.setPosixFilePermissions(authorizedKeys, PosixFilePermissions.fromString("rw-------"));
        DebianRoot.Sshd sshd = bullseye.startSshd();
        assertThat(sshd.banner()).startsWith("SSH-2.0-OpenSSH_8.4p1");

        OpenSshClient ssh = fixture.ssh();
        int relayPort = fixture.relay().sshPort();
        String id = ssh.ssh(fixture.aliceKey(), relayPort, "alice", "--", "create-session").lines().get(0);
        try (CustomerAgent customer = CustomerAgent.inRoot(bullseye, relayPort, fixture.caFile(), id,
                "--ssh-port", Integer.toString(sshd.port()));
             EngineerStream alice = EngineerStream.open(ssh, fixture.aliceKey(), relayPort, "alice", "join", id)) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));

            alice.type("echo typed-on-bullseye-$((6*7)) $(cat /etc/debian_version)\r");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).containsPattern("typed-on-bullseye-42 11\\.\\d+"));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(alice.output()).contains("typed-on-bullseye-42"));

            assertThat(ssh.ssh(fixture.aliceKey(), relayPort, "alice", "--", "request-tunnel", id, "--no-wait").exit()).isZero();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("Ctrl-b G grant"));
            customer.press("C-b", "G");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("tunnel open"));
            assertThat(Files.readString(authorizedKeys)).as("sshd 8.4 reads expiry-time in local time, not the UTC Z form of 8.7")
                    .containsPattern("\nexpiry-time=\"\\d{14}\" ssh-ed25519 \\S+ tunl:" + id + ":alice\n");

            Path jump = ssh.jumpConfig(fixture.aliceKey(), relayPort, "alice");
            OpenSshClient.Result in = ssh.run(OpenSshClient.jumpCommand(jump, "root@" + id, "id; cat /etc/debian_version"), 60);
            assertThat(in.exit()).as(in.stderr() + "\nsshd:\n" + sshd.log()).isZero();
            assertThat(in.stdout()).contains("uid=0(root)").containsPattern("\n11\\.\\d+");

            customer.press("C-b", "R");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("tunnel revoked"));
            OpenSshClient.Result cut = ssh.run(OpenSshClient.jumpCommand(jump, "root@" + id, "id"), 60);
            assertThat(cut.exit()).isNotZero();
            assertThat(cut.stderr()).contains("tunnel not granted for " + id);
            assertThat(Files.readAllBytes(authorizedKeys)).isEqualTo(original);

            customer.press("C-b", "Q");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal()).contains("AGENT-EXIT=0"));
            assertThat(customer.terminal()).contains("Session ended. Your recording: /root/.local/state/linbit-tunl/recordings/" + id);
            assertThat(customer.agentTmuxAlive()).as("no tmux left on the customer's box").isFalse();
            assertThat(bullseye.file("/tmp/tmux-0")).as("nor tmux's socket").isEmptyDirectory();
            try (var inTmp = Files.list(bullseye.file("/tmp"))) {
                assertThat(inTmp.map(file -> file.getFileName().toString())).as("nor the run's folder").noneMatch(name -> name.startsWith("tunl-"));
            }
            assertThat(Files.readAllBytes(authorizedKeys)).isEqualTo(original);
        }
        assertThat(fixture.relay().audit("session-closed")).containsExactly("customer|customer|");
    }
}
