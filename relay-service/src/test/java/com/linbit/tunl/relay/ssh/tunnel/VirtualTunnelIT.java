package com.linbit.tunl.relay.ssh.tunnel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.AcceptAllPublickeyAuthenticator;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.testing.CustomerSshd;

import com.linbit.tunl.relay.support.ListeningSockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The virtual reverse tunnel on a bare MINA server (not the Spring relay): a MINA client agent
 * forwards a session ID, stock OpenSSH reaches a real sshd behind it with {@code ssh -J}, and no
 * socket is ever opened for the forward.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirtualTunnelIT {

    private static final String ID = "swift-fox-jumps-barrel";
    private static final String OPENSSH_ID = "brave-elk-draws-lantern";
    private static final String NOT_GRANTED = "calm-owl-sings-river";
    private static final int FIFTY_MB = 50 * 1024 * 1024;

    @TempDir
    static Path temp;

    static RecordingGate gate;
    static SshServer server;
    static VirtualForwards forwards;
    static int relayPort;
    static CustomerSshd sshd;
    static int sshdPort;
    static Path sshConfig;
    static Path home;
    static SshClient agentClient;
    static ClientSession agent;
    static final List<Process> started = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {

        home = Files.createDirectories(temp.resolve("home"));
        Path engineerKey = home.resolve("engineer");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "engineer", "-f", engineerKey.toString()), 30);
        sshConfig = home.resolve("ssh_config");
        Files.writeString(sshConfig, String.join("\n",
                "Host *",
                "  UserKnownHostsFile " + home.resolve("known_hosts"),
                "  GlobalKnownHostsFile /dev/null",
                "  StrictHostKeyChecking no",
                "  IdentitiesOnly yes",
                "  IdentityFile " + engineerKey,
                "  BatchMode yes",
                "  ConnectTimeout 10",
                "  LogLevel INFO",
                ""));

        startSshd(engineerKey);

        gate = new RecordingGate();
        gate.granted.add(ID);
        gate.granted.add(OPENSSH_ID);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(temp.resolve("relay-host-key")));
        server.setPublickeyAuthenticator(AcceptAllPublickeyAuthenticator.INSTANCE);
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        forwards = VirtualTunnels.install(server, gate);
        server.start();
        relayPort = server.getPort();

        agentClient = SshClient.setUpDefaultClient();
        agentClient.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        // the agent side must allow the relay to open forwarded-tcpip to its registered target
        agentClient.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
        agentClient.start();
        agent = connect(ID);
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (Process process : started) {
            destroy(process);
        }
        if (agentClient != null) {
            agentClient.stop();
        }
        if (server != null) {
            server.stop(true);
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    @Order(1)
    void refusedBeforeTheForwardExistsAndForNamesNotGranted() throws Exception {
        Result early = engineer(ID, "id");
        assertThat(early.exit()).as(early.stderr()).isNotZero();
        assertThat(early.stderr()).contains("no tunnel to " + ID + ": the customer's agent has not opened it");
        assertThat(gate.connectRefusals).contains(ID + ": no tunnel to " + ID + ": the customer's agent has not opened it");

        Result other = engineer(NOT_GRANTED, "id");
        assertThat(other.exit()).as(other.stderr()).isNotZero();
        assertThat(other.stderr()).contains("administratively prohibited: tunnel not granted for " + NOT_GRANTED);
        assertThat(gate.connectRefusals).contains(NOT_GRANTED + ": tunnel not granted for " + NOT_GRANTED);

        // an agent may forward only its own name (the test gate's rule)
        assertThatThrownBy(() -> agent.startRemotePortForwarding(new SshdSocketAddress(NOT_GRANTED, 22),
                new SshdSocketAddress("127.0.0.1", sshdPort))).isInstanceOf(IOException.class);
        assertThat(gate.forwardRefusals).contains(NOT_GRANTED + ": " + ID + " may not forward " + NOT_GRANTED);
        assertThat(forwards.names()).isEmpty();
    }

    @Test
    @Order(2)
    void theAgentsForwardOpensNoSocket() throws Exception {
        Set<Integer> before = ListeningSockets.ofThisProcess();
        assertThat(before).containsExactly(relayPort);

        SshdSocketAddress bound = agent.startRemotePortForwarding(new SshdSocketAddress(ID, 22),
                new SshdSocketAddress("127.0.0.1", sshdPort));

        assertThat(bound.getPort()).isEqualTo(22);
        assertThat(gate.forwardsOpened).containsExactly(ID);
        assertThat(forwards.names()).containsExactly(ID);
        assertThat(ListeningSockets.ofThisProcess()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void engineerReachesTheSshdBehindTheAgentWithProxyJump() throws Exception {
        int before = gate.connectionsClosed.size();

        Result id = engineer(ID, "id");

        assertThat(id.exit()).as(id.stderr()).isZero();
        assertThat(id.stdout()).contains("uid=0(root)");
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.connectionsClosed.size() > before);
        TunnelConnection connection = gate.connectionsClosed.get(gate.connectionsClosed.size() - 1);
        assertThat(connection.name()).isEqualTo(ID);
        assertThat(connection.engineer()).isEqualTo("alice");
        assertThat(((InetSocketAddress) connection.originator()).getAddress().isLoopbackAddress()).isTrue();
        assertThat(connection.bytesToCustomer()).isPositive();
        assertThat(connection.bytesToEngineer()).isPositive();
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    @Order(4)
    void stdioForwardGetsTheBannerAndEofTravelsBothWays() throws Exception {
        // stdin at EOF: the EOF goes through to sshd, which closes after its banner; that close
        // comes back as EOF + close and ssh -W exits 0
        Result banner = run(List.of("ssh", "-F", sshConfig.toString(), "-p", Integer.toString(relayPort),
                "-W", ID + ":22", "alice@127.0.0.1"), 30);

        assertThat(banner.exit()).as(banner.stderr()).isZero();
        assertThat(banner.stdout()).startsWith("SSH-2.0-OpenSSH");
    }

    @Test
    @Order(5)
    void fiftyMegabytesArriveIntact() throws Exception {
        Path data = temp.resolve("fifty-mb");
        byte[] bytes = new byte[FIFTY_MB];
        new Random(4711).nextBytes(bytes);
        Files.write(data, bytes);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        long directStart = System.nanoTime();
        Result direct = runWithInput(List.of("ssh", "-F", sshConfig.toString(), "-p", Integer.toString(sshdPort),
                "root@127.0.0.1", "sha256sum"), data, 120);
        double directSeconds = (System.nanoTime() - directStart) / 1e9;
        assertThat(direct.exit()).as(direct.stderr()).isZero();

        int before = gate.connectionsClosed.size();
        long cpuBefore = jvmCpuNanos();
        long start = System.nanoTime();
        Result tunnelled = runWithInput(engineerCommand(ID, "sha256sum"), data, 120);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (jvmCpuNanos() - cpuBefore) / 1e9;

        assertThat(tunnelled.exit()).as(tunnelled.stderr()).isZero();
        assertThat(tunnelled.stdout().strip()).startsWith(expected);
        System.out.printf("VirtualTunnelIT: 50 MiB through the tunnel in %.2f s = %.1f MB/s, JVM CPU %.2f s"
                        + " (relay and agent share this JVM; direct ssh to the same sshd: %.2f s = %.1f MB/s)%n",
                seconds, FIFTY_MB / 1e6 / seconds, cpuSeconds, directSeconds, FIFTY_MB / 1e6 / directSeconds);
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.connectionsClosed.size() > before);
        TunnelConnection connection = gate.connectionsClosed.get(gate.connectionsClosed.size() - 1);
        assertThat(connection.bytesToCustomer()).isGreaterThan(FIFTY_MB);
    }

    @Test
    @Order(6)
    void cutAllEndsALiveConnectionWithinSeconds() throws Exception {
        Set<Integer> sockets = ListeningSockets.ofThisProcess();
        int before = gate.connectionsOpened.size();
        Process sleeper = start(engineerCommand(ID, "sleep", "30"));
        CompletableFuture<String> err = drain(sleeper.getErrorStream());
        await().atMost(Duration.ofSeconds(15)).until(() -> gate.connectionsOpened.size() > before);
        assertThat(forwards.connections(ID)).hasSize(1);
        assertThat(ListeningSockets.ofThisProcess()).isEqualTo(sockets);

        long cutAt = System.nanoTime();
        assertThat(forwards.cutAll(ID)).isEqualTo(1);

        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).as("ssh still running after cutAll").isTrue();
        System.out.printf("VirtualTunnelIT: cutAll ended ssh after %d ms%n", (System.nanoTime() - cutAt) / 1_000_000);
        assertThat(sleeper.exitValue()).isNotZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> forwards.connections(ID).isEmpty());
        assertThat(err.get(5, TimeUnit.SECONDS)).doesNotContain("uid=");
    }

    @Test
    @Order(7)
    void openSshRemoteForwardRegistersANameToo() throws Exception {
        Process agentSsh = start(List.of("ssh", "-F", sshConfig.toString(), "-p", Integer.toString(relayPort),
                "-N", "-o", "ExitOnForwardFailure=yes",
                "-R", OPENSSH_ID + ":22:127.0.0.1:" + sshdPort, OPENSSH_ID + "@127.0.0.1"));
        await().atMost(Duration.ofSeconds(15)).until(() -> gate.forwardsOpened.contains(OPENSSH_ID));
        assertThat(agentSsh.isAlive()).isTrue();

        Result id = engineer(OPENSSH_ID, "id");
        assertThat(id.exit()).as(id.stderr()).isZero();
        assertThat(id.stdout()).contains("uid=0(root)");
        // the bridged connection ends by itself, while the OpenSSH agent stays connected
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.connectionsClosed.stream()
                .anyMatch(c -> c.name().equals(OPENSSH_ID)));
        assertThat(agentSsh.isAlive()).isTrue();

        destroy(agentSsh);
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.forwardsClosed.contains(OPENSSH_ID));
        assertThat(forwards.names()).containsExactly(ID);
    }

    @Test
    @Order(8)
    void theForwardGoesWithTheAgentsConnection() throws Exception {
        agent.close(false).await(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> gate.forwardsClosed.contains(ID));
        assertThat(forwards.names()).isEmpty();
        assertThat(forwards.connections()).isEmpty();
        Result after = engineer(ID, "id");
        assertThat(after.exit()).isNotZero();
        assertThat(after.stderr()).contains("the customer's agent has not opened it");
    }

    @Test
    @Order(9)
    void portZeroIsAnsweredWith22AndCancelRemovesTheForward() throws Exception {
        String name = "quiet-ram-finds-pebble";
        ClientSession other = connect(name);
        try {
            SshdSocketAddress bound = other.startRemotePortForwarding(new SshdSocketAddress(name, 0),
                    new SshdSocketAddress("127.0.0.1", sshdPort));
            assertThat(bound.getPort()).isEqualTo(22);
            assertThat(forwards.names()).containsExactly(name);
            assertThat(forwards.agentSession(name)).isPresent();

            other.stopRemotePortForwarding(new SshdSocketAddress(name, 22));

            await().atMost(Duration.ofSeconds(10)).until(() -> gate.forwardsClosed.contains(name));
            assertThat(forwards.names()).isEmpty();
        } finally {
            other.close(true);
        }
    }

    // ---- the test's policy: an agent forwards its own login name; engineers reach granted names

    static final class RecordingGate implements TunnelGate {
        final Set<String> granted = ConcurrentHashMap.newKeySet();
        final List<String> forwardsOpened = new CopyOnWriteArrayList<>();
        final List<String> forwardsClosed = new CopyOnWriteArrayList<>();
        final List<String> forwardRefusals = new CopyOnWriteArrayList<>();
        final List<String> connectRefusals = new CopyOnWriteArrayList<>();
        final List<TunnelConnection> connectionsOpened = new CopyOnWriteArrayList<>();
        final List<TunnelConnection> connectionsClosed = new CopyOnWriteArrayList<>();

        @Override
        public Optional<String> refuseForward(ServerSession agentSession, String address, int port) {
            return agentSession.getUsername().equals(address) ? Optional.empty()
                    : Optional.of(agentSession.getUsername() + " may not forward " + address);
        }

        @Override
        public Optional<String> refuseConnect(ServerSession engineerSession, String host, int port) {
            return granted.contains(host) ? Optional.empty() : Optional.of("tunnel not granted for " + host);
        }

        @Override
        public void forwardOpened(String name, ServerSession agentSession) {
            forwardsOpened.add(name);
        }

        @Override
        public void forwardClosed(String name) {
            forwardsClosed.add(name);
        }

        @Override
        public void connectionOpened(TunnelConnection connection) {
            connectionsOpened.add(connection);
        }

        @Override
        public void connectionClosed(TunnelConnection connection) {
            connectionsClosed.add(connection);
        }

        @Override
        public void forwardRefused(ServerSession agentSession, String address, int port, String reason) {
            forwardRefusals.add(address + ": " + reason);
        }

        @Override
        public void connectRefused(ServerSession engineerSession, String host, int port, String reason) {
            connectRefusals.add(host + ": " + reason);
        }
    }

    // ---- processes

    private static long jvmCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    record Result(int exit, String stdout, String stderr) {
    }

    /** {@code ssh -J alice@relay root@<name> <command>}: the inner hop goes through the tunnel. */
    static List<String> engineerCommand(String name, String... command) {
        List<String> line = new ArrayList<>(List.of("ssh", "-F", sshConfig.toString(),
                "-J", "alice@127.0.0.1:" + relayPort, "root@" + name));
        line.addAll(List.of(command));
        return line;
    }

    static Result engineer(String name, String... command) throws Exception {
        return run(engineerCommand(name, command), 30);
    }

    static Result run(List<String> command, int timeoutSeconds) throws Exception {
        return runWithInput(command, null, timeoutSeconds);
    }

    static Result runWithInput(List<String> command, Path input, int timeoutSeconds) throws Exception {
        ProcessBuilder builder = builder(command)
                .redirectInput(input == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                        : ProcessBuilder.Redirect.from(input.toFile()));
        Process process = builder.start();
        started.add(process);
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + command
                        + "\nstderr: " + destroyAndGet(process, err));
            }
            return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } finally {
            destroy(process);
            started.remove(process);
        }
    }

    static Process start(List<String> command) throws IOException {
        Process process = builder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        started.add(process);
        return process;
    }

    private static String destroyAndGet(Process process, CompletableFuture<String> err) {
        destroy(process);
        return err.getNow("");
    }

    private static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("SSH_AUTH_SOCK");
        builder.environment().remove("SSH_AGENT_PID");
        builder.environment().remove("DISPLAY");
        return builder;
    }

    static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the target: a stock OpenSSH sshd on a loopback port of its own

    private static void startSshd(Path engineerKey) throws Exception {
        Path authorizedKeys = Files.createDirectories(temp.resolve("sshd")).resolve("authorized_keys");
        Files.copy(engineerKey.resolveSibling(engineerKey.getFileName() + ".pub"), authorizedKeys);
        sshd = CustomerSshd.start(temp.resolve("sshd"), authorizedKeys);
        sshdPort = sshd.port();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static ClientSession connect(String user) throws Exception {
        ClientSession session = agentClient.connect(user, "127.0.0.1", relayPort).verify(Duration.ofSeconds(10)).getSession();
        KeyPairProvider keys = KeyPairProvider.wrap(KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256));
        session.setKeyIdentityProvider(keys);
        session.auth().verify(Duration.ofSeconds(10));
        return session;
    }
}
