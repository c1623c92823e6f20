package com.linbit.tunl.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentOptionsTest {

    @Test
    void defaultsToShareModeOnTheProductionRelay() throws Exception {
        AgentOptions options = AgentOptions.parse(new String[] {"swift-fox-jumps-barrel"}, Map.of());
        assertThat(options.mode()).isEqualTo(AgentOptions.Mode.SHARE);
        assertThat(options.relayHost()).isEqualTo("tunl.linbit.com");
        assertThat(options.relayPort()).isEqualTo(443);
        assertThat(options.relayCaFiles()).isEmpty();
    }

    @Test
    void optionsAndEnvironment() throws Exception {
        AgentOptions options = AgentOptions.parse(new String[] {"--restricted", "--relay-ca", "/tmp/ca.pub", "Swift-Fox-Jumps-Barrel"},
                Map.of("TUNL_RELAY", "relay.example:2222", "TUNL_RELAY_CA", "/etc/ca.pub"));
        assertThat(options.mode()).isEqualTo(AgentOptions.Mode.RESTRICTED);
        assertThat(options.relayHost()).isEqualTo("relay.example");
        assertThat(options.relayPort()).isEqualTo(2222);
        assertThat(options.relayCaFiles()).containsExactly(Path.of("/etc/ca.pub"), Path.of("/tmp/ca.pub"));
        assertThat(options.sessionId()).isEqualTo("swift-fox-jumps-barrel");

        AgentOptions flagWins = AgentOptions.parse(new String[] {"--tunnel", "--relay=localhost", "calm-lake-sings-tune"},
                Map.of("TUNL_RELAY", "ignored:1"));
        assertThat(flagWins.mode()).isEqualTo(AgentOptions.Mode.TUNNEL);
        assertThat(flagWins.relayHost()).isEqualTo("localhost");
        assertThat(flagWins.relayPort()).isEqualTo(443);
    }

    @Test
    void reconnectTimeAndOutageBuffer() throws Exception {
        AgentOptions defaults = AgentOptions.parse(new String[] {"swift-fox-jumps-barrel"}, Map.of());
        assertThat(defaults.reconnectFor()).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(defaults.bufferBytes()).isEqualTo(16L * 1024 * 1024);
        AgentOptions given = AgentOptions.parse(new String[] {"--reconnect-for", "90s", "--outage-buffer=64m",
                "swift-fox-jumps-barrel"}, Map.of());
        assertThat(given.reconnectFor()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(given.bufferBytes()).isEqualTo(64L * 1024 * 1024);
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {"--reconnect-for", "15", "swift-fox-jumps-barrel"}, Map.of()))
                .hasMessage("--reconnect-for needs a time such as 90s, 15m or 2h, not '15'");
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {"--outage-buffer", "1K", "swift-fox-jumps-barrel"}, Map.of()))
                .hasMessageContaining("--outage-buffer needs a size from 64K to 4G");
    }

    @Test
    void refusesWhatItCannotRunWith() {
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {}, Map.of())).hasMessageContaining("session ID is missing");
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {"swiftfox"}, Map.of())).hasMessageContaining("is not a session ID");
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {"--restricted", "--tunnel", "swift-fox-jumps-barrel"}, Map.of()))
                .hasMessage("choose one of --restricted and --tunnel");
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {"--relay", "host:99999", "swift-fox-jumps-barrel"}, Map.of()))
                .hasMessage("relay port must be 1-65535, got 99999");
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {"--bogus", "swift-fox-jumps-barrel"}, Map.of()))
                .hasMessage("unknown option --bogus");
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {"--relay"}, Map.of())).hasMessage("--relay needs a value");
    }

    @Test
    void helpVersionAndUsageErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(Main.run(new String[] {"--help"}, Map.of(), o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: linbit-tunl").contains("Ctrl-b Q");
        assertThat(Main.run(new String[] {"--version"}, Map.of(), o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("linbit-tunl ");
        assertThat(Main.run(new String[] {"nope"}, Map.of(), o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'nope' is not a session ID");
    }
}
