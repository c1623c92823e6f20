package com.linbit.tunl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.linbit.tunl.testing.CustomerAgent;

/**
 * 2. An engineer's key, through the relay to the real agent, into the customer's shell in tmux,
 * echoed back out to the engineer's stock {@code ssh -tt ... join}; against {@code ssh -tt}
 * straight to the customer's sshd running a login shell. Keys are typed one at a time, as a person
 * does, and the line is cleared now and then so the shell's line stays short.
 */
final class KeystrokeRoundTrip {

    private static final byte KEY = 'x';
    private static final long TIMEOUT_MILLIS = 5000;

    private KeystrokeRoundTrip() {
    }

    static List<Row> run(Rig rig, BenchOptions options, Map<String, Object> details) throws Exception {
        List<Double> tunlP50 = new ArrayList<>();
        List<Double> tunlP99 = new ArrayList<>();
        List<Double> sshP50 = new ArrayList<>();
        List<Double> sshP99 = new ArrayList<>();
        int lost = 0;
        for (int run = 0; run < options.runs(); run++) {
            String id = rig.createSession();
            try (CustomerAgent agent = rig.startAgent(id);
                 Terminal engineer = Terminal.start(rig.relayCommand("-tt", "--", "join", id))) {
                if (!engineer.screen().awaitText("joined", 60_000)) {
                    throw new IllegalStateException("join " + id + " never said joined");
                }
                Samples tunl = measure(engineer, options.keystrokes());
                tunlP50.add(tunl.percentile(50));
                tunlP99.add(tunl.percentile(99));
                lost += tunl.lost;
            }
            try (Terminal direct = Terminal.start(rig.direct(List.of("-tt")))) {
                Samples ssh = measure(direct, options.keystrokes());
                sshP50.add(ssh.percentile(50));
                sshP99.add(ssh.percentile(99));
                lost += ssh.lost;
            }
        }
        details.put("keystrokes", options.keystrokes());
        details.put("tunlP50Millis", tunlP50);
        details.put("tunlP99Millis", tunlP99);
        details.put("opensshP50Millis", sshP50);
        details.put("opensshP99Millis", sshP99);
        details.put("keysNeverEchoed", lost);
        return List.of(
                Row.ratio("keystroke round trip p50", "ms", Stats.median(tunlP50), Stats.median(sshP50), false, 1.5),
                Row.ratio("keystroke round trip p99", "ms", Stats.median(tunlP99), Stats.median(sshP99), false, 2.0));
    }

    private static Samples measure(Terminal terminal, int keystrokes) throws Exception {
        Samples samples = new Samples();
        // Until the shell answers (the agent still connecting, the prompt still coming), nothing counts.
        long warmUntil = System.currentTimeMillis() + 60_000;
        int answered = 0;
        while (answered < 5 && System.currentTimeMillis() < warmUntil) {
            answered = terminal.typeAndTime(KEY, 1000) > 0 ? answered + 1 : 0;
        }
        clearLine(terminal);
        for (int key = 0; key < keystrokes; key++) {
            long nanos = terminal.typeAndTime(KEY, TIMEOUT_MILLIS);
            if (nanos < 0) {
                samples.lost++;
            } else {
                samples.millis.add(Stats.millis(nanos));
            }
            Thread.sleep(15);
            if (key % 40 == 39) {
                clearLine(terminal);
            }
        }
        return samples;
    }

    private static void clearLine(Terminal terminal) throws Exception {
        terminal.type("\u0015");
        Thread.sleep(200);
    }

    private static final class Samples {
        final List<Double> millis = new ArrayList<>();
        int lost;

        double percentile(double percent) {
            return Stats.percentile(millis, percent);
        }
    }
}
