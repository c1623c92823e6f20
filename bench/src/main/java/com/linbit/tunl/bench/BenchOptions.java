package com.linbit.tunl.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What one run measures and how much. The full run is the issue's: 256 MB through the tunnel,
 * 100 MB fanned out to 1 and 10 viewers, up to 2,000 sessions; {@code --smoke} shrinks everything
 * so the benchmark's own machinery is checked in seconds.
 */
record BenchOptions(int runs, long tunnelBytes, int keystrokes, long fanOutBytes, List<Integer> viewerCounts,
                    int maxSessions, int agentStarts, Set<String> scenarios, Path out, Path relayJar, Path agentJar,
                    List<String> relayJvmOptions) {

    static final Set<String> ALL = Set.of("tunnel", "keystroke", "fanout", "sessions", "agent-start");

    static final String USAGE = """
            usage: java -jar bench/target/tunl-bench.jar [options]
              --smoke              tiny sizes: checks the benchmark works, in about a minute
              --runs N             repeat each measurement N times and report medians (default 1)
              --sessions N         concurrent sessions to ramp up to (default 2000)
              --only LIST          comma-separated subset of: tunnel,keystroke,fanout,sessions,agent-start
              --out DIR            where the Markdown and JSON reports go (default bench-results)
              --relay-jar PATH     default relay-service/target/tunl-relay.jar
              --agent-jar PATH     default customer-agent/target/linbit-tunl.jar
              --relay-jvm OPTION   a JVM option for the relay process (repeatable), e.g. --relay-jvm -Xmx1g
            """;

    static BenchOptions parse(String... args) {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        int runs = 1;
        int sessions = smoke ? 10 : 2000;
        Set<String> scenarios = ALL;
        Path out = Path.of("bench-results");
        Path relayJar = Path.of("relay-service/target/tunl-relay.jar");
        Path agentJar = Path.of("customer-agent/target/linbit-tunl.jar");
        List<String> jvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> { }
                case "--runs" -> runs = positive(args, ++i);
                case "--sessions" -> sessions = positive(args, ++i);
                case "--only" -> scenarios = scenarios(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--relay-jar" -> relayJar = Path.of(value(args, ++i));
                case "--agent-jar" -> agentJar = Path.of(value(args, ++i));
                case "--relay-jvm" -> jvm.add(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        return new BenchOptions(runs, smoke ? 8_000_000L : 256_000_000L, smoke ? 30 : 300,
                smoke ? 4_000_000L : 100_000_000L, smoke ? List.of(1, 3) : List.of(1, 10), sessions,
                smoke ? 3 : 10, scenarios, out, relayJar.toAbsolutePath(), agentJar.toAbsolutePath(), List.copyOf(jvm));
    }

    boolean includes(String scenario) {
        return scenarios.contains(scenario);
    }

    private static Set<String> scenarios(String list) {
        Set<String> chosen = Set.of(list.split(","));
        for (String name : chosen) {
            if (!ALL.contains(name)) {
                throw new IllegalArgumentException("unknown measurement " + name + "\n" + USAGE);
            }
        }
        return chosen;
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value\n" + USAGE);
        }
        return args[index];
    }

    private static int positive(String[] args, int index) {
        int value = Integer.parseInt(value(args, index));
        if (value < 1) {
            throw new IllegalArgumentException(args[index - 1] + " must be at least 1");
        }
        return value;
    }
}
