package com.linbit.tunl.relay.metrics;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.relay.support.TestRelay;
import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.EngineerStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /actuator/prometheus} during a real session: the tunl meters move with what happens. */
class MetricsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void sessionsViewersTrafficConnectionsAndRefusalsAreMetered() throws Exception {
        try (RelayFixture fixture = RelayFixture.start(temp, "tunl.metrics.session-count-interval=200ms")) {
            TestRelay relay = fixture.relay();
            String id = fixture.ssh().ssh(fixture.aliceKey(), relay.sshPort(), "alice", "--", "create-session").lines().get(0);
            assertThat(relay.get("/actuator/prometheus").statusCode()).as("behind the login").isEqualTo(401);
            try (CustomerAgent customer = CustomerAgent.start(temp.resolve("customer"), relay.sshPort(), fixture.caFile(), id);
                 EngineerStream viewer = joinOnceConnected(fixture, customer, id)) {
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("1v"));
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(viewer.output()).contains("joined " + id));
                customer.typeInShell("echo metered-$((5*5))");
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(viewer.output())
                        .as(() -> "customer's pane:\n" + customer.shellPane() + "\nterminal:\n" + customer.terminal())
                        .contains("metered-25"));
                viewer.type("true\r");
                fixture.ssh().ssh(fixture.ssh().generateKey("stranger", "ed25519", 0), relay.sshPort(), "alice", "--", "whoami");

                await().atMost(PATIENCE).untilAsserted(() -> {
                    String metrics = scrape(relay);
                    assertThat(value(metrics, "tunl_sessions{state=\"active\"}")).isEqualTo(1);
                    assertThat(value(metrics, "tunl_viewers")).isEqualTo(1);
                    assertThat(value(metrics, "tunl_ssh_connections")).isGreaterThanOrEqualTo(2);
                    assertThat(value(metrics, "tunl_relayed_bytes_total{direction=\"from-customers\"}")).isPositive();
                    assertThat(value(metrics, "tunl_relayed_bytes_total{direction=\"to-viewers\"}")).isPositive();
                    assertThat(value(metrics, "tunl_relayed_bytes_total{direction=\"from-engineers\"}")).isGreaterThanOrEqualTo(5);
                    assertThat(value(metrics, "tunl_logins_refused_total{reason=\"unknown-key\"}")).isEqualTo(1);
                    assertThat(value(metrics, "tunl_tunnels_open")).isZero();
                    assertThat(metrics).contains("tunl_tunnel_bytes_total{direction=\"to-customer\"}",
                            "tunl_audit_events_total{reason=\"\",type=\"session-claimed\"}");
                });
            }
        }
    }

    private static EngineerStream joinOnceConnected(RelayFixture fixture, CustomerAgent customer, String id) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));
        return EngineerStream.open(fixture.ssh(), fixture.aliceKey(), fixture.relay().sshPort(), "alice", "join", id);
    }

    private static String scrape(TestRelay relay) {
        HttpResponse<String> metrics = relay.get("/actuator/prometheus", "admin", TestRelay.ADMIN_PASSWORD);
        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        return metrics.body();
    }

    /** The value of the sample named exactly {@code sample} (name and labels as Prometheus prints them). */
    private static double value(String metrics, String sample) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(line.find()).as(sample + " in\n" + metrics.lines().filter(l -> l.startsWith("tunl")).toList()).isTrue();
        return Double.parseDouble(line.group(1));
    }
}
