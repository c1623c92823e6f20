package com.linbit.tunl.relay.tunnel;

import java.nio.charset.StandardCharsets;
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
import com.linbit.tunl.testing.OpenSshClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tunnel end to end: an engineer asks over stock ssh, the customer decides with Ctrl-b G / D /
 * R in the real agent's tmux, and {@code ssh -J} reaches a real OpenSSH sshd on the customer's
 * side through the relay's virtual endpoint; the customer's authorized_keys comes back byte for byte.
 */
class TunnelIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path temp;
    static RelayFixture fixture;
    static TestRelay relay;
    static OpenSshClient ssh;
    static Path aliceKey;
    static Path caFile;
    static Path jump;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void startRelay() throws Exception {
        fixture = RelayFixture.start(temp);
        relay = fixture.relay();
        ssh = fixture.ssh();
        aliceKey = fixture.aliceKey();
        caFile = fixture.caFile();
        jump = ssh.jumpConfig(aliceKey, relay.sshPort(), "alice");
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
    void grantLetsTheEngineerInRevokeCutsAndTheKeysFileComesBackByteForByte() throws Exception {
        Path home = temp.resolve("customer-" + UUID.randomUUID());
        Path authorizedKeys = home.resolve(".ssh/authorized_keys");
        Files.createDirectories(authorizedKeys.getParent());
        byte[] original = "# the customer's own keys\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf1n2Pv7d6m8F0k3Z8mU8m8bq6Hj0mC2Jp5n9cYwqXr own@laptop"
                .getBytes(StandardCharsets.UTF_8); // no final newline, on purpose
        Files.write(authorizedKeys, original);
        String id = createSession();
        CustomerSshd sshd = CustomerSshd.start(temp.resolve("sshd-" + id), authorizedKeys);
        cleanup.add(sshd);
        CustomerAgent customer = connectedAgent(home, id, "--ssh-port", Integer.toString(sshd.port()));

        OpenSshClient.Result before = ssh.run(OpenSshClient.jumpCommand(jump, "root@" + id, "id"), 30);
        assertThat(before.exit()).isNotZero();
        assertThat(before.stderr()).contains("tunnel not granted for " + id);

        OpenSshClient.Result asked = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "request-tunnel", id, "--no-wait");
        assertThat(asked.exit()).as(asked.stderr()).isZero();
        assertThat(asked.stdout()).contains("pending");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane())
                .contains("alice requests a reverse SSH tunnel \u2014 Ctrl-b G grant \u00b7 Ctrl-b D deny"));
        OpenSshClient.Result again = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "request-tunnel", id, "--no-wait");
        assertThat(again.exit()).as("a repeat while pending changes nothing").isZero();

        customer.press("C-b", "G");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("tunnel open"));
        assertThat(Files.readString(authorizedKeys)).contains("tunl:" + id + ":alice").contains("expiry-time=\"");

        OpenSshClient.Result in = ssh.run(OpenSshClient.jumpCommand(jump, "root@" + id, "id"), 30);
        assertThat(in.exit()).as(in.stderr() + "\nsshd:\n" + sshd.log()).isZero();
        assertThat(in.stdout()).contains("uid=0(root)");

        // Knowing the session ID is not enough to take the tunnel over: a connection that did not
        // claim the session cannot register its forward, and the real one keeps working.
        Path stranger = ssh.generateKey("stranger-" + UUID.randomUUID().toString().substring(0, 8), "ed25519", 0);
        OpenSshClient.Result hijack = ssh.run(ssh.sshCommand(stranger, relay.sshPort(), id,
                "-N", "-o", "ExitOnForwardFailure=yes", "-R", id + ":22:127.0.0.1:9"), 30);
        assertThat(hijack.exit()).isNotZero();
        assertThat(hijack.stderr()).contains("remote port forwarding failed");
        // The tunnel is alice's: another engineer neither reaches it nor gets it by asking.
        String bob = "bob";
        Path bobKey = relay.registerEngineer(ssh, bob);
        OpenSshClient.Result bobIn = ssh.run(OpenSshClient.jumpCommand(ssh.jumpConfig(bobKey, relay.sshPort(), bob), "root@" + id, "id"), 30);
        assertThat(bobIn.exit()).isNotZero();
        assertThat(bobIn.stderr()).contains("tunnel not granted for " + id);
        OpenSshClient.Result bobAsks = ssh.ssh(bobKey, relay.sshPort(), bob, "--", "request-tunnel", id, "--no-wait");
        assertThat(bobAsks.exit()).isNotZero();
        assertThat(bobAsks.stderr()).contains("is open for alice; one engineer at a time");
        OpenSshClient.Result stillIn = ssh.run(OpenSshClient.jumpCommand(jump, "root@" + id, "id"), 30);
        assertThat(stillIn.stdout()).as(stillIn.stderr()).contains("uid=0(root)");

        Process live = ssh.start(OpenSshClient.jumpCommand(jump, "root@" + id, "sleep", "120"));
        cleanup.add(live::destroyForcibly);
        await().atMost(PATIENCE).until(() -> relay.jdbc()
                .sql("select count(*) from audit_event where type = 'tunnel-connection-opened' and session_id = ?")
                .param(id).query(Long.class).single() >= 2);

        customer.press("C-b", "R");
        await().atMost(PATIENCE).until(() -> !live.isAlive());
        assertThat(live.exitValue()).as("the live connection was cut").isNotZero();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(Files.readAllBytes(authorizedKeys)).isEqualTo(original));
        OpenSshClient.Result after = ssh.run(OpenSshClient.jumpCommand(jump, "root@" + id, "id"), 30);
        assertThat(after.exit()).isNotZero();
        assertThat(after.stderr()).contains("tunnel not granted for " + id);

        assertThat(relay.jdbc().sql("select type from audit_event where session_id = ? and type like 'tunnel-%' order by id")
                .param(id).query(String.class).list())
                .containsSubsequence("tunnel-requested", "tunnel-granted", "tunnel-opened", "tunnel-connection-opened")
                .contains("tunnel-revoked", "tunnel-connection-closed");
    }

    @Test
    void denyChangesNothingStaleLinesAreSweptAndTheCustomersOwnEditsSurviveTheEnd() throws Exception {
        Path home = temp.resolve("customer-" + UUID.randomUUID());
        Path authorizedKeys = home.resolve(".ssh/authorized_keys");
        Files.createDirectories(authorizedKeys.getParent());
        String own = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf1n2Pv7d6m8F0k3Z8mU8m8bq6Hj0mC2Jp5n9cYwqXr own@laptop\n";
        String stale = "expiry-time=\"20991231000000Z\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf1n2Pv7d6m8F0k3Z8mU8m8bq6Hj0mC2Jp5n9cYwqXr"
                + " tunl:gone-session-was-here:bob\n";
        Files.writeString(authorizedKeys, own + stale);
        String id = createSession();
        CustomerAgent customer = connectedAgent(home, id);
        assertThat(Files.readString(authorizedKeys)).as("a dead session's line is swept at start").isEqualTo(own);

        Process asking = ssh.start(aliceKey, relay.sshPort(), "alice", "--", "request-tunnel", id);
        cleanup.add(asking::destroyForcibly);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("Ctrl-b D deny"));
        customer.press("C-b", "D");
        await().atMost(PATIENCE).until(() -> !asking.isAlive());
        assertThat(asking.exitValue()).isEqualTo(1);
        assertThat(new String(asking.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("fatal: the customer denied the tunnel for " + id);
        assertThat(Files.readString(authorizedKeys)).isEqualTo(own);

        ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "request-tunnel", id, "--no-wait");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("Ctrl-b G grant"));
        customer.press("C-b", "G");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(Files.readString(authorizedKeys)).contains("tunl:" + id + ":alice"));
        String addedMeanwhile = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf1n2Pv7d6m8F0k3Z8mU8m8bq6Hj0mC2Jp5n9cYwqXs added@meanwhile\n";
        Files.writeString(authorizedKeys, addedMeanwhile, java.nio.file.StandardOpenOption.APPEND);
        customer.press("C-b", "Q");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal()).contains("AGENT-EXIT=0"));
        assertThat(Files.readString(authorizedKeys)).isEqualTo(own + addedMeanwhile);

        OpenSshClient.Result late = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "request-tunnel", id);
        assertThat(late.exit()).isNotZero();
        assertThat(late.stderr()).contains("no open session " + id);
    }

    @Test
    void tunnelModeOpensAtStartWithoutTmuxCarries50MegabytesIntactAndQEndsIt() throws Exception {
        Path home = temp.resolve("customer-" + UUID.randomUUID());
        Path authorizedKeys = home.resolve(".ssh/authorized_keys");
        String id = createSession();
        CustomerSshd sshd = CustomerSshd.start(temp.resolve("sshd-" + id), authorizedKeys);
        cleanup.add(sshd);
        CustomerAgent customer = CustomerAgent.start(home, "/nonexistent", relay.sshPort(), caFile, id,
                "--tunnel", "--ssh-port", Integer.toString(sshd.port()));
        cleanup.add(customer);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal())
                .as("no tmux on PATH, no request needed").contains("No shell is shared", "tunnel open"));

        Path payload = temp.resolve("payload-" + id);
        byte[] random = new byte[50 * 1024 * 1024];
        new java.util.Random(42).nextBytes(random);
        Files.write(payload, random);
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(random));
        OpenSshClient.Result hashed = ssh.run(OpenSshClient.jumpCommand(jump, "root@" + id, "sha256sum"), payload, 120);
        assertThat(hashed.exit()).as(hashed.stderr() + "\nsshd:\n" + sshd.log()).isZero();
        assertThat(hashed.stdout()).startsWith(expected);

        customer.press("q", "Enter");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal()).contains("AGENT-EXIT=0"));
        assertThat(Files.exists(authorizedKeys)).isFalse();
        assertThat(relay.jdbc().sql("select state from support_session where id = ?").param(id).query(String.class).single())
                .isEqualTo("CLOSED");
    }

    @Test
    void revokingTheEngineersKeyCutsTheirTunnelConnectionWithinFiveSeconds() throws Exception {
        Path carolKey = relay.registerEngineer(ssh, "carol");
        String id = ssh.ssh(carolKey, relay.sshPort(), "carol", "--", "create-session").lines().get(0);
        Path home = temp.resolve("customer-" + UUID.randomUUID());
        CustomerSshd sshd = CustomerSshd.start(temp.resolve("sshd-" + id), home.resolve(".ssh/authorized_keys"));
        cleanup.add(sshd);
        CustomerAgent customer = connectedAgent(home, id, "--tunnel", "--ssh-port", Integer.toString(sshd.port()));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("tunnel open"));
        Path carolJump = ssh.jumpConfig(carolKey, relay.sshPort(), "carol");
        Process live = ssh.start(OpenSshClient.jumpCommand(carolJump, "root@" + id, "sleep", "120"));
        cleanup.add(live::destroyForcibly);
        await().atMost(PATIENCE).until(() -> relay.audit("tunnel-connection-opened").stream().anyMatch(row -> row.startsWith("|carol|")));

        String keys = relay.asAdmin("GET", "/api/admin/engineers/carol/keys", null, null).body();
        String keyId = keys.replaceAll("(?s).*\"id\":(\\d+).*", "$1");
        assertThat(relay.asAdmin("DELETE", "/api/admin/engineers/carol/keys/" + keyId, null, null).statusCode()).isEqualTo(200);
        assertThat(live.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).as("tunnel connection cut within 5 s").isTrue();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(relay.audit("connection-closed-key-revoked"))
                .anyMatch(row -> row.startsWith("revoked-key|carol|")));
    }

    @Test
    void closingTheSessionOnTheRelayCutsTheTunnelAndTakesTheKeysBack() throws Exception {
        Path home = temp.resolve("customer-" + UUID.randomUUID());
        Path authorizedKeys = home.resolve(".ssh/authorized_keys");
        String id = createSession();
        CustomerSshd sshd = CustomerSshd.start(temp.resolve("sshd-" + id), authorizedKeys);
        cleanup.add(sshd);
        CustomerAgent customer = connectedAgent(home, id, "--tunnel", "--ssh-port", Integer.toString(sshd.port()));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).as("tunnel mode with tmux: no prompt")
                .contains("tunnel open"));
        Process live = ssh.start(OpenSshClient.jumpCommand(jump, "root@" + id, "sleep", "120"));
        cleanup.add(live::destroyForcibly);
        await().atMost(PATIENCE).until(() -> relay.audit("tunnel-connection-opened").stream().anyMatch(row -> row.startsWith("|alice|")));

        relay.bean(com.linbit.tunl.relay.session.SessionService.class).close(id, "admin", "admin");
        await().atMost(PATIENCE).until(() -> !live.isAlive());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("An administrator ended the session."));
        await().atMost(PATIENCE).until(() -> !Files.exists(authorizedKeys));
        OpenSshClient.Result after = ssh.run(OpenSshClient.jumpCommand(jump, "root@" + id, "id"), 30);
        assertThat(after.exit()).isNotZero();
        assertThat(after.stderr()).contains("tunnel not granted for " + id);

        // Support has lost everything; the customer's shell is still there until the customer leaves.
        customer.typeInShell("echo still-mine-$((3*3))");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("still-mine-9"));
        customer.press("C-b", "Q");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal())
                .contains("An administrator ended the session.", "AGENT-EXIT=0"));
        assertThat(Files.exists(authorizedKeys)).isFalse();
    }

    @Test
    void restrictedSessionsRefuseTunnelsAndCustomersCannotReachAnything() throws Exception {
        String id = createSession();
        CustomerAgent customer = connectedAgent(temp.resolve("customer-" + UUID.randomUUID()), id, "--restricted");
        OpenSshClient.Result refused = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "request-tunnel", id);
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.stderr()).contains("restricted session");
        await().atMost(PATIENCE).until(() -> relay.jdbc()
                .sql("select count(*) from audit_event where type = 'tunnel-refused' and session_id = ?")
                .param(id).query(Long.class).single() == 1);

        for (String name : List.of(id, "quiet-lemon-sings-harbor")) {
            OpenSshClient.Result otherName = ssh.run(OpenSshClient.jumpCommand(jump, "root@" + name, "id"), 30);
            assertThat(otherName.exit()).isNotZero();
            assertThat(otherName.stderr()).contains("tunnel not granted for " + name);
        }

        // The customer's own connection (its per-session key) can open nothing through the relay.
        Path customerKey = customer.stateFolder().resolve("keys/" + id);
        OpenSshClient.Result fromCustomer = ssh.run(ssh.sshCommand(customerKey, relay.sshPort(), id,
                "-W", "127.0.0.1:" + relay.sshPort()), 30);
        assertThat(fromCustomer.exit()).isNotZero();
        assertThat(fromCustomer.stderr()).contains("stdio forwarding failed");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(relay.jdbc()
                .sql("select reason || '|' || details from audit_event where type = 'forwarding-refused' and actor = ?")
                .param(id).query(String.class).list())
                .contains("direct-tcpip|127.0.0.1:" + relay.sshPort() + " (customer connections cannot open connections through the relay)"));
    }

    private String createSession() {
        OpenSshClient.Result created = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "create-session", "--case", "5");
        assertThat(created.exit()).as(created.stderr()).isZero();
        return created.lines().get(0);
    }

    private CustomerAgent connectedAgent(Path home, String id, String... options) {
        CustomerAgent agent = CustomerAgent.start(home, relay.sshPort(), caFile, id, options);
        cleanup.add(agent);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(agent.chatPane())
                .as(agent::terminal).contains("relay connected"));
        return agent;
    }
}
