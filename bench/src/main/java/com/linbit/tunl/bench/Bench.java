package com.linbit.tunl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark's one entry point: starts everything on loopback, runs the chosen measurements
 * against stock OpenSSH in the same run, and writes the report. Exit status 0 when every
 * measurement ran, whatever the figures; 1 when one could not run; 2 for bad options.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        // MINA's INFO lines would bury the report.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            Path markdown = run(options, "java -jar bench/target/tunl-bench.jar " + String.join(" ", args));
            System.out.println(Files.readString(markdown));
            System.out.println("report: " + markdown + " (and .json)");
        } catch (Exception e) {
            System.err.println("the benchmark could not finish: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** Runs {@code options}' measurements and returns the Markdown report written. */
    static Path run(BenchOptions options, String command) throws Exception {
        Report report = new Report(Machine.describe(), command);
        Path folder = Files.createTempDirectory("tunl-bench-");
        try (Rig rig = Rig.start(folder, options)) {
            measure(options, "tunnel", "tunnel throughput", report, rig, TunnelThroughput::run);
            measure(options, "keystroke", "keystroke round trip", report, rig, KeystrokeRoundTrip::run);
            measure(options, "fanout", "output fan-out", report, rig, FanOut::run);
            measure(options, "agent-start", "agent start", report, rig, AgentStart::run);
            // Last: thousands of connections leave the relay's heap and pools grown for the rest.
            measure(options, "sessions", "concurrent sessions", report, rig, ConcurrentSessions::run);
        } finally {
            delete(folder);
        }
        return report.write(options.out());
    }

    private interface Measurement {
        List<Row> run(Rig rig, BenchOptions options, Map<String, Object> details) throws Exception;
    }

    private static void measure(BenchOptions options, String name, String title, Report report, Rig rig,
                                Measurement measurement) throws Exception {
        if (!options.includes(name)) {
            return;
        }
        System.err.println("measuring " + title + " …");
        long start = System.nanoTime();
        Map<String, Object> details = report.section(name);
        report.add(measurement.run(rig, options, details));
        details.put("seconds", (System.nanoTime() - start) / 1e9);
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
