package com.linbit.tunl.relay.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.relay.support.ListeningSockets;
import com.linbit.tunl.testing.OpenSshClient;
import com.linbit.tunl.testing.OpenSshClient.Result;
import com.linbit.tunl.relay.support.TestRelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The relay's SSH port against the stock OpenSSH client, verified through the relay CA. */
class SshFrontDoorIT {

    private static final Pattern SESSION_ID = Pattern.compile("[a-z]{3,8}(-[a-z]{3,8}){3}");

    @TempDir
    static Path temp;
    static TestRelay relay;
    static OpenSshClient ssh;
    static Path aliceKey;

    @BeforeAll
    static void startRelay() {
        relay = TestRelay.start(temp.resolve("relay"));
        HttpResponse<String> knownHosts = relay.get("/known_hosts");
        assertThat(knownHosts.statusCode()).isEqualTo(200);
        ssh = new OpenSshClient(temp.resolve("home"), knownHosts.body());
        aliceKey = ssh.generateKey("alice", "ed25519", 0);
        register("alice", aliceKey);
    }

    @AfterAll
    static void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    static void register(String engineer, Path key) {
        HttpResponse<String> added = relay.asAdmin("POST", "/api/admin/engineers/" + engineer + "/keys",
                "text/plain", OpenSshClient.publicKeyOf(key));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    }

    @Test
    void createSessionPrintsIdThenCustomerLineAndShowsInSessionsAndApi() {
        Result created = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "create-session", "--case", "4711");

        assertThat(created.exit()).as(created.stderr()).isZero();
        String id = created.lines().get(0);
        assertThat(id).matches(SESSION_ID);
        assertThat(created.lines().get(1)).isEqualTo("linbit-tunl " + id);

        Result sessions = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "sessions");
        assertThat(sessions.exit()).isZero();
        assertThat(sessions.stdout()).containsPattern(Pattern.quote(id) + "\\s+waiting\\s+4711\\s+alice\\s+\\d+[smhd]");

        HttpResponse<String> api = relay.asAdmin("GET", "/api/admin/sessions", null, null);
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains("\"id\":\"" + id + "\"").contains("\"caseNumber\":\"4711\"");
        assertThat(relay.audit("session-created")).anyMatch(row -> row.startsWith("|alice|case=4711"));
    }

    @Test
    void quotedNoteSurvivesAndBadArgumentsAreFatal() {
        Result noted = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "create-session", "--note", "'disk full on node 2'");
        assertThat(noted.exit()).as(noted.stderr()).isZero();
        String id = noted.lines().get(0);
        assertThat(relay.asAdmin("GET", "/api/admin/sessions?state=waiting", null, null).body())
                .contains("\"id\":\"" + id + "\",\"state\":\"waiting\",\"caseNumber\":null,\"note\":\"disk full on node 2\"");

        Result unknownOption = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "create-session", "--bogus", "1");
        assertThat(unknownOption.exit()).isNotZero();
        assertThat(unknownOption.stderr()).startsWith("fatal: create-session: unknown option --bogus");

        Result badCase = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "create-session", "--case", "'a b'");
        assertThat(badCase.exit()).isNotZero();
        assertThat(badCase.stderr()).startsWith("fatal: create-session: case must be");

        Result unknown = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "frobnicate");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.stderr()).isEqualTo("fatal: unknown command 'frobnicate'; run 'help' to see the commands\n");
    }

    @Test
    void whoamiAndHelp() {
        Result whoami = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "whoami");
        assertThat(whoami.exit()).isZero();
        assertThat(whoami.lines().get(0)).isEqualTo("alice");
        assertThat(whoami.lines().get(1)).startsWith("key SHA256:").endsWith("from 127.0.0.1");

        Result help = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "help");
        assertThat(help.exit()).isZero();
        assertThat(help.stdout()).contains("create-session [--case CASE] [--note TEXT]", "sessions", "whoami", "help");
    }

    @Test
    void unregisteredKeyIsRefusedAndAudited() {
        Path stranger = ssh.generateKey("stranger-" + UUID.randomUUID(), "ed25519", 0);

        Result asAlice = ssh.ssh(stranger, relay.sshPort(), "alice", "--", "whoami");
        Result asNobody = ssh.ssh(stranger, relay.sshPort(), "nobody", "--", "whoami");

        assertThat(asAlice.exit()).isEqualTo(255);
        assertThat(asAlice.stderr()).contains("Permission denied (publickey)");
        assertThat(asNobody.exit()).isEqualTo(255);
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(relay.audit("login-refused")).anyMatch(row -> row.startsWith("unknown-key|alice|SHA256:"));
            assertThat(relay.audit("login-refused")).anyMatch(row -> row.startsWith("unknown-user|nobody|SHA256:"));
        });
    }

    @Test
    void passwordLoginIsRefused() {
        Result password = ssh.ssh(null, relay.sshPort(), "alice",
                "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password,keyboard-interactive",
                "--", "whoami");

        assertThat(password.exit()).isEqualTo(255);
        assertThat(password.stderr()).contains("Permission denied (publickey)");
    }

    @Test
    void revokedKeyIsRefusedAndItsLiveConnectionCutWithinFiveSeconds() throws Exception {
        Path bobKey = ssh.generateKey("bob", "ed25519", 0);
        register("bob", bobKey);
        assertThat(ssh.ssh(bobKey, relay.sshPort(), "bob", "--", "whoami").exit()).isZero();

        Process live = ssh.start(bobKey, relay.sshPort(), "bob", "-N");
        try {
            await().atMost(10, TimeUnit.SECONDS).until(() -> relay.bean(SupportConnections.class).engineerConnections() >= 1);
            assertThat(live.isAlive()).isTrue();
            String keys = relay.asAdmin("GET", "/api/admin/engineers/bob/keys", null, null).body();
            String keyId = keys.replaceAll("(?s).*\"id\":(\\d+).*", "$1");

            long revokedAt = System.nanoTime();
            assertThat(relay.asAdmin("DELETE", "/api/admin/engineers/bob/keys/" + keyId, null, null).statusCode()).isEqualTo(200);

            assertThat(live.waitFor(5, TimeUnit.SECONDS)).as("live connection cut within 5 s").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - revokedAt)).isLessThan(5);
        } finally {
            live.destroyForcibly();
        }
        Result again = ssh.ssh(bobKey, relay.sshPort(), "bob", "--", "whoami");
        assertThat(again.exit()).isEqualTo(255);
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(relay.audit("login-refused")).anyMatch(row -> row.startsWith("revoked-key|bob|")));
        assertThat(relay.audit("connection-closed-key-revoked")).anyMatch(row -> row.startsWith("revoked-key|bob|"));
        assertThat(relay.audit("key-revoked")).anyMatch(row -> row.contains("engineer=bob"));
    }

    @Test
    void interactiveShellIsRefusedWithAHint() {
        Result shell = ssh.ssh(aliceKey, relay.sshPort(), "alice", "-tt");

        assertThat(shell.exit()).isNotZero();
        assertThat(shell.stdout() + shell.stderr()).contains("fatal: this relay offers no shell").contains("help");
        await().atMost(5, TimeUnit.SECONDS).until(() -> relay.audit("shell-refused").stream().anyMatch(row -> row.contains("|alice|")));
    }

    @Test
    void sftpSubsystemIsRefused() {
        Result sftp = ssh.ssh(aliceKey, relay.sshPort(), "alice", "-s", "--", "sftp");

        assertThat(sftp.exit()).isNotZero();
        assertThat(sftp.stderr()).contains("fatal: the sftp subsystem is not available on this relay");
        await().atMost(5, TimeUnit.SECONDS).until(() -> relay.audit("subsystem-refused").stream().anyMatch(row -> row.startsWith("sftp|alice")));
    }

    @Test
    void everyKindOfForwardingIsRefusedAndNoSocketIsOpened() throws Exception {
        Set<Integer> listeningBefore = ListeningSockets.ofThisProcess();
        int target = relay.httpPort();

        Result stdio = ssh.ssh(aliceKey, relay.sshPort(), "alice", "-W", "127.0.0.1:" + target);
        assertThat(stdio.exit()).isEqualTo(255);
        assertThat(stdio.stderr()).contains("stdio forwarding failed");

        Result remote = ssh.ssh(aliceKey, relay.sshPort(), "alice", "-N", "-o", "ExitOnForwardFailure=yes",
                "-R", "127.0.0.1:0:127.0.0.1:" + target);
        assertThat(remote.exit()).isEqualTo(255);
        assertThat(remote.stderr()).contains("remote port forwarding failed");

        assertLocalListenerGetsNothing("-L", freePort() + ":127.0.0.1:" + target);
        assertLocalListenerGetsNothing("-D", Integer.toString(freePort()));

        assertThat(ListeningSockets.ofThisProcess()).isEqualTo(listeningBefore);
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(relay.audit("forwarding-refused"))
                .anyMatch(row -> row.startsWith("direct-tcpip|alice|"))
                .anyMatch(row -> row.startsWith("tcpip-forward|alice|")));
    }

    @Test
    void agentAndX11ForwardingAreRefusedAndAudited() throws Exception {
        Path agentSocket = temp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", agentSocket.toString())
                .redirectErrorStream(true).start();
        OpenSshClient withAgent = new OpenSshClient(temp.resolve("home-agent"), relay.get("/known_hosts").body());
        try {
            await().atMost(10, TimeUnit.SECONDS).until(() -> java.nio.file.Files.exists(agentSocket));
            withAgent.environment("SSH_AUTH_SOCK", agentSocket.toString());
            withAgent.environment("DISPLAY", "127.0.0.1:99");
            Result forwarded = withAgent.ssh(aliceKey, relay.sshPort(), "alice", "-A", "-X", "--", "whoami");
            assertThat(forwarded.exit()).as(forwarded.stderr()).isZero();
        } finally {
            agent.destroy();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(relay.audit("forwarding-refused"))
                .anyMatch(row -> row.startsWith("agent-forwarding|alice|"))
                .anyMatch(row -> row.startsWith("x11-forwarding|alice|")));
    }

    private void assertLocalListenerGetsNothing(String option, String spec) throws Exception {
        int localPort = Integer.parseInt(spec.split(":")[0]);
        Process forward = ssh.start(aliceKey, relay.sshPort(), "alice", "-N", "-o", "ExitOnForwardFailure=yes", option, spec);
        try {
            await().atMost(10, TimeUnit.SECONDS).ignoreExceptions().until(() -> {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", localPort), 500);
                    return true;
                }
            });
            try (Socket socket = new Socket("127.0.0.1", localPort)) {
                socket.setSoTimeout(5000);
                if (option.equals("-D")) {
                    // SOCKS5: no auth, then CONNECT 127.0.0.1:relay-http
                    socket.getOutputStream().write(new byte[] {5, 1, 0});
                    byte[] greeting = socket.getInputStream().readNBytes(2);
                    assertThat(greeting).containsExactly(5, 0);
                    int port = relay.httpPort();
                    socket.getOutputStream().write(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, (byte) (port >> 8), (byte) port});
                    byte[] reply = socket.getInputStream().readNBytes(2);
                    assertThat(reply.length == 2 && reply[1] == 0).as("SOCKS CONNECT must not succeed").isFalse();
                } else {
                    socket.getOutputStream().write("GET /ca.pub HTTP/1.0\r\n\r\n".getBytes());
                    assertThat(readUntilClosed(socket)).as("nothing comes back through a refused -L").isEmpty();
                }
            }
        } finally {
            forward.destroy();
            forward.waitFor(5, TimeUnit.SECONDS);
            forward.destroyForcibly();
        }
    }

    /** What arrives before the peer closes; a reset counts as closed with nothing sent. */
    private static byte[] readUntilClosed(Socket socket) throws IOException {
        try {
            return socket.getInputStream().readAllBytes();
        } catch (java.net.SocketException reset) {
            return new byte[0];
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
