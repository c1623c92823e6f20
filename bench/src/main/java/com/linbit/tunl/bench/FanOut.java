package com.linbit.tunl.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.linbit.tunl.protocol.Frame;

/**
 * 3. The customer's shell prints a large output once; N engineers watch it through the relay
 * (stock {@code ssh -tt ... join}). The simulated customer sends only as fast as the slowest
 * viewer takes it (a window well below the relay's per-viewer buffer), so every byte arrives and
 * the figure is the relay's sustainable rate. OpenSSH does the same bytes for N engineers through
 * a jump host, each with a {@code cat} of its own. CPU is the relay process's, and the jump
 * sshd's with the connections it forked, per MB delivered to engineers.
 */
final class FanOut {

    private static final int CHUNK = 32 * 1024;
    private static final long WINDOW = 2 * 1024 * 1024;
    private static final long TIMEOUT_MILLIS = 600_000;

    private FanOut() {
    }

    static List<Row> run(Rig rig, BenchOptions options, Map<String, Object> details) throws Exception {
        byte[] chunk = printableChunk();
        Path file = rig.folder.resolve("fanout-output.txt");
        writeRepeated(file, chunk, options.fanOutBytes());
        List<Row> rows = new ArrayList<>();
        for (int viewers : options.viewerCounts()) {
            List<Result> tunl = new ArrayList<>();
            List<Result> ssh = new ArrayList<>();
            for (int run = 0; run < options.runs(); run++) {
                tunl.add(throughRelay(rig, viewers, chunk, options.fanOutBytes()));
                ssh.add(throughJump(rig, viewers, file, options.fanOutBytes()));
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("tunl", tunl);
            detail.put("openssh", ssh);
            details.put(viewers + " viewers", detail);
            String label = viewers == 1 ? "1 viewer" : viewers + " viewers";
            rows.add(Row.figure("fan-out throughput per viewer, " + label, "MB/s",
                    Stats.median(tunl.stream().map(Result::megabytesPerSecond).toList()),
                    Stats.median(ssh.stream().map(Result::megabytesPerSecond).toList())));
            rows.add(Row.ratio("fan-out CPU per MB delivered, " + label, "ms/MB",
                    Stats.median(tunl.stream().map(Result::cpuMillisPerMegabyte).toList()),
                    Stats.median(ssh.stream().map(Result::cpuMillisPerMegabyte).toList()), false, 1.5));
        }
        return rows;
    }

    record Result(double seconds, double cpuSeconds, long bytesPerViewer, int viewers) {
        double megabytesPerSecond() {
            return bytesPerViewer / 1e6 / seconds;
        }

        double cpuMillisPerMegabyte() {
            return cpuSeconds * 1000 / (bytesPerViewer * (double) viewers / 1e6);
        }
    }

    private static Result throughRelay(Rig rig, int viewers, byte[] chunk, long bytes) throws Exception {
        String id = rig.createSession();
        List<Terminal> engineers = new ArrayList<>();
        try (SimulatedCustomer customer = SimulatedCustomer.connect(rig.mina, id)) {
            for (int i = 0; i < viewers; i++) {
                Terminal engineer = Terminal.start(rig.relayCommand("-tt", "--", "join", id));
                engineers.add(engineer);
                if (!engineer.screen().awaitText("joined", 60_000)) {
                    throw new IllegalStateException("viewer " + i + " of " + id + " never joined");
                }
            }
            Thread.sleep(500); // the others' "joined" notices are delivered before the count starts
            long[] before = engineers.stream().mapToLong(engineer -> engineer.screen().received()).toArray();
            double cpuBefore = ProcessUsage.cpuSeconds(rig.relay.pid());
            long start = System.nanoTime();
            for (long sent = 0; sent < bytes; sent += chunk.length) {
                for (int i = 0; i < viewers; i++) {
                    if (!engineers.get(i).screen().awaitReceived(before[i] + sent - WINDOW, TIMEOUT_MILLIS)) {
                        throw new IllegalStateException("viewer " + i + " stopped receiving at " + sent + " bytes");
                    }
                }
                int size = (int) Math.min(chunk.length, bytes - sent);
                customer.send(new Frame.Output(size == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, size)));
            }
            for (int i = 0; i < viewers; i++) {
                if (!engineers.get(i).screen().awaitReceived(before[i] + bytes, TIMEOUT_MILLIS)) {
                    throw new IllegalStateException("viewer " + i + " did not receive all " + bytes + " bytes");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(seconds, ProcessUsage.cpuSeconds(rig.relay.pid()) - cpuBefore, bytes, viewers);
        } finally {
            engineers.forEach(Terminal::close);
        }
    }

    private static Result throughJump(Rig rig, int viewers, Path file, long bytes) throws Exception {
        double cpuBefore = ProcessUsage.cpuSeconds(rig.jump.pid());
        long start = System.nanoTime();
        List<Terminal> engineers = new ArrayList<>();
        try {
            for (int i = 0; i < viewers; i++) {
                engineers.add(Terminal.start(rig.throughOpensshJump("cat", file.toString())));
            }
            for (Terminal engineer : engineers) {
                if (!engineer.screen().awaitReceived(bytes, TIMEOUT_MILLIS) || !engineer.awaitExit(60_000)) {
                    throw new IllegalStateException("an engineer through the OpenSSH jump host did not get all " + bytes + " bytes");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(500); // the jump sshd reaps its connections' processes, and counts their CPU
            return new Result(seconds, ProcessUsage.cpuSeconds(rig.jump.pid()) - cpuBefore, bytes, viewers);
        } finally {
            engineers.forEach(Terminal::close);
        }
    }

    /** Terminal text: printable lines ending in CR LF, as a shell's output reaches a pty. */
    private static byte[] printableChunk() {
        StringBuilder text = new StringBuilder(CHUNK);
        for (int line = 0; text.length() < CHUNK; line++) {
            text.append(String.format("%06d the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJ\r\n", line));
        }
        return text.substring(0, CHUNK).getBytes(StandardCharsets.US_ASCII);
    }

    private static void writeRepeated(Path file, byte[] chunk, long bytes) throws Exception {
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
            }
        }
    }
}
