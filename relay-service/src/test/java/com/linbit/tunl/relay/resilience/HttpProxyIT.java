package com.linbit.tunl.relay.resilience;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.Tinyproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A customer network where the relay is reached only through an HTTP proxy: the agent goes through
 * a real tinyproxy with CONNECT (from https_proxy, or --proxy with a user and password), respects
 * no_proxy, and says clearly when the proxy refuses.
 */
class HttpProxyIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path temp;
    static RelayFixture fixture;

    @BeforeAll
    static void startRelay() throws Exception {
        fixture = RelayFixture.start(temp);
    }

    @AfterAll
    static void stopRelay() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theAgentReachesTheRelayThroughTheProxyInHttpsProxy() {
        try (Tinyproxy proxy = Tinyproxy.start(temp.resolve("open-proxy"))) {
            String id = createSession();
            try (CustomerAgent customer = agent(id, Map.of("https_proxy", proxy.url()))) {
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));
                customer.typeInShell("echo through-the-proxy-$((6*7))");
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("through-the-proxy-42"));
                assertThat(proxy.log()).contains("CONNECT 127.0.0.1:" + fixture.relay().sshPort());
            }
        }
    }

    @Test
    void aProxyThatNeedsALoginIsToldItWithDashDashProxyAndRefusesWithoutIt() {
        try (Tinyproxy proxy = Tinyproxy.start(temp.resolve("login-proxy"), "BasicAuth tunl-user proxy-secret")) {
            String refusedId = createSession();
            try (CustomerAgent refused = agent(refusedId, Map.of("HTTPS_PROXY", proxy.url()))) {
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(refused.terminal())
                        .contains("refused to connect to the relay at 127.0.0.1:" + fixture.relay().sshPort() + ": 407",
                                "--proxy http://user:pass@host:port", "AGENT-EXIT=5"));
            }
            String id = createSession();
            try (CustomerAgent customer = agent(id, Map.of(), "--proxy",
                    "http://tunl-user:proxy-secret@127.0.0.1:" + proxy.port())) {
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));
            }
        }
    }

    @Test
    void aProxyThatRefusesConnectIsReportedClearly() {
        try (Tinyproxy proxy = Tinyproxy.start(temp.resolve("strict-proxy"), "ConnectPort 443")) {
            String id = createSession();
            try (CustomerAgent customer = agent(id, Map.of("https_proxy", proxy.url()))) {
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal())
                        .contains("linbit-tunl: cannot connect to the relay at 127.0.0.1:" + fixture.relay().sshPort(),
                                "the HTTP proxy 127.0.0.1:" + proxy.port() + " refused to connect to the relay", "403",
                                "AGENT-EXIT=5"));
            }
        }
    }

    @Test
    void noProxyNamingTheRelayGoesDirect() {
        String id = createSession();
        try (CustomerAgent customer = agent(id, Map.of("https_proxy", "http://127.0.0.1:9", "no_proxy", "localhost,127.0.0.1"))) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));
        }
    }

    private static CustomerAgent agent(String id, Map<String, String> environment, String... options) {
        return CustomerAgent.start(temp.resolve("customer-" + id), null, environment, fixture.relay().sshPort(),
                fixture.caFile(), id, options);
    }

    private static String createSession() {
        return fixture.ssh().ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "create-session")
                .lines().get(0);
    }
}
