package com.linbit.tunl.shell;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.CustomerSshd;
import com.linbit.tunl.testing.Tmux;

import static com.linbit.tunl.shell.Processes.tunl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code tunl ssh} and {@code tunl browser} through a real tunnel: the relay jar, the agent in
 * tunnel mode in front of a real OpenSSH sshd, stock ssh started by the console.
 */
class ConsoleTunnelIT {

    private static final Duration PATIENCE = Duration.ofSeconds(45);

    @TempDir
    static Path temp;
    static RelayProcess relay;
    static Path home;
    static Path ca;
    static CustomerSshd sshd;
    static CustomerAgent customer;
    static String id;

    @BeforeAll
    static void startTunnel() throws Exception {
        relay = RelayProcess.start(temp.resolve("relay"));
        home = Processes.engineerHome(temp.resolve("alice"));
        relay.register("alice", home.resolve(".ssh/id_ed25519.pub"));
        ca = relay.saveCa(temp.resolve("relay-ca.pub"));
        assertThat(tunl(home, "setup", "--relay", "127.0.0.1:" + relay.sshPort(), "--ca-file", ca.toString()).exit()).isZero();
        id = tunl(home, "create-session", "--case", "8").stdout().lines().findFirst().orElseThrow();
        Path customerHome = temp.resolve("customer");
        sshd = CustomerSshd.start(temp.resolve("sshd"), customerHome.resolve(".ssh/authorized_keys"));
        customer = CustomerAgent.start(customerHome, "/nonexistent", relay.sshPort(), ca, id,
                "--tunnel", "--ssh-port", Integer.toString(sshd.port()));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal()).contains("tunnel open"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (customer != null) {
            customer.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void sshRunsACommandOnTheCustomersMachineAndIsRefusedWithoutAGrant() throws Exception {
        Processes.Result in = tunl(home, "ssh", id, "--", "id", "-un");
        assertThat(in.exit()).as(in.all() + "\nsshd:\n" + sshd.log()).isZero();
        assertThat(in.stdout()).contains("root");

        Processes.Result status = tunl(home, "ssh", id, "--", "exit 3");
        assertThat(status.exit()).as("the remote command's status, as with ssh").isEqualTo(3);
        assertThat(status.stderr()).contains("tunl: ssh to " + id + " ended with status 3");

        Processes.Result asked = tunl(home, "request-tunnel", id);
        assertThat(asked.exit()).as(asked.all()).isZero();
        assertThat(asked.stdout()).contains("granted: the tunnel for " + id + " is open");

        String other = tunl(home, "create-session").stdout().lines().findFirst().orElseThrow();
        Processes.Result nobodyThere = tunl(home, "request-tunnel", other, "--no-wait");
        assertThat(nobodyThere.exit()).isEqualTo(1);
        assertThat(nobodyThere.stderr()).contains("tunl: the customer is not connected");
        Processes.Result refused = tunl(home, "ssh", other, "--", "id");
        assertThat(refused.exit()).as("ssh's own status when it could not get through").isEqualTo(255);
        assertThat(refused.stderr()).contains("tunl: tunnel not granted for " + other);
    }

    @Test
    void browserIsASocksProxyFromTheCustomersSideUntilEnter() throws Exception {
        HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", exchange -> {
            byte[] body = "the customer's web UI".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.start();
        int proxyPort = freePort();
        Tmux terminal = new Tmux("tunl-browser-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            List<String> command = new ArrayList<>(Processes.tunlCommand(home));
            command.addAll(List.of("browser", id, "--port", Integer.toString(proxyPort)));
            terminal.run("new-session", "-d", "-x", "160", "-y", "40",
                    Processes.shellQuote(command) + "; echo BROWSER-EXIT=$?; sleep 60");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(terminal.screen("0")).contains("Press Enter to stop"));
            assertThat(terminal.screen("0")).contains("socks5://127.0.0.1:" + proxyPort);

            HttpURLConnection request = (HttpURLConnection) URI.create("http://127.0.0.1:" + web.getAddress().getPort() + "/")
                    .toURL().openConnection(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", proxyPort)));
            try (InputStream body = request.getInputStream()) {
                assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("the customer's web UI");
            }
            // The request went out from the customer's side: sshd opened the connection (direct-tcpip).
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(sshd.log())
                    .containsPattern("server_request_direct_tcpip: originator .*, target 127\\.0\\.0\\.1 port "
                            + web.getAddress().getPort() + "\\b"));

            terminal.type("0", "Enter");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(terminal.screen("0")).contains("proxy stopped", "BROWSER-EXIT=0"));
        } finally {
            terminal.kill();
            web.stop(0);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
