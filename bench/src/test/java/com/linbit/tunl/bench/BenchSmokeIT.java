package com.linbit.tunl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's smoke mode, end to end against the real relay, agent, sshd and ssh: every
 * measurement runs and yields a figure on both sides, and the reports are written. Figures are
 * not judged here; speed is the benchmark's business, not a test's.
 */
class BenchSmokeIT {

    @TempDir
    Path out;

    @Test
    void everyMeasurementRunsAgainstTunlAndOpenSshAndIsReported() throws Exception {
        BenchOptions options = BenchOptions.parse("--smoke", "--out", out.toString(),
                "--relay-jar", System.getProperty("tunl.relay.jar"), "--agent-jar", System.getProperty("tunl.agent.jar"));

        Path markdown = Bench.run(options, "BenchSmokeIT");

        String table = Files.readString(markdown);
        assertThat(table).contains("tunnel throughput", "keystroke round trip p50", "keystroke round trip p99",
                "fan-out throughput per viewer, 1 viewer", "fan-out CPU per MB delivered, 3 viewers",
                "concurrent sessions held", "relay heap per session", "agent start");
        Path json = markdown.resolveSibling(markdown.getFileName().toString().replace(".md", ".json"));
        assertThat(Files.readString(json)).contains("\"rows\"", "\"machine\"", "\"steps\"");
        List<String> comparedWithOpenSsh = List.of("tunnel throughput", "keystroke round trip", "fan-out");
        for (String line : table.lines().filter(line -> line.startsWith("| ")).skip(1).toList()) {
            String[] cells = line.split("\\|");
            boolean compared = comparedWithOpenSsh.stream().anyMatch(cells[1]::contains);
            boolean judged = !cells[6].isBlank();
            if (judged || compared) {
                assertThat(Double.parseDouble(cells[3].strip())).as(line).isPositive();
            }
            if (compared) {
                assertThat(Double.parseDouble(cells[4].strip())).as(line).isPositive();
            }
        }
        assertThat(table).contains("| concurrent sessions held (2 viewers each), errors | sessions | 10 |");
    }
}
