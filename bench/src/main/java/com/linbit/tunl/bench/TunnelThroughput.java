package com.linbit.tunl.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.linbit.tunl.testing.CustomerAgent;

/**
 * 1. Bytes an engineer pushes to the customer's sshd ({@code cat > /dev/null}) through the tunl
 * tunnel, against the same through an OpenSSH jump host and straight to the sshd. Each figure is
 * the whole {@code ssh} command, connection set-up included, as an engineer experiences it.
 */
final class TunnelThroughput {

    private TunnelThroughput() {
    }

    static List<Row> run(Rig rig, BenchOptions options, Map<String, Object> details) throws Exception {
        Path payload = incompressible(rig.folder.resolve("tunnel-payload"), options.tunnelBytes());
        String id = rig.createSession();
        try (CustomerAgent agent = rig.startAgent(id, "--tunnel", "--ssh-port", Integer.toString(rig.target.port()))) {
            awaitTunnel(rig, id);
            List<Double> tunl = new ArrayList<>();
            List<Double> jump = new ArrayList<>();
            List<Double> direct = new ArrayList<>();
            for (int run = 0; run < options.runs(); run++) {
                tunl.add(megabytesPerSecond(rig.throughTunl(id, "cat > /dev/null"), payload, options.tunnelBytes()));
                jump.add(megabytesPerSecond(rig.throughOpensshJump("cat > /dev/null"), payload, options.tunnelBytes()));
                direct.add(megabytesPerSecond(rig.direct(List.of(), "cat > /dev/null"), payload, options.tunnelBytes()));
            }
            details.put("bytes", options.tunnelBytes());
            details.put("tunlMBps", tunl);
            details.put("opensshJumpMBps", jump);
            details.put("opensshDirectMBps", direct);
            return List.of(
                    Row.ratio("tunnel throughput (vs OpenSSH jump host)", "MB/s", Stats.median(tunl), Stats.median(jump), true, 0.9),
                    Row.figure("OpenSSH direct, for reference", "MB/s", Double.NaN, Stats.median(direct)));
        }
    }

    private static void awaitTunnel(Rig rig, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Process probe = new ProcessBuilder(rig.throughTunl(id, "true")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the tunnel to session " + id + " did not open within a minute");
    }

    private static double megabytesPerSecond(List<String> command, Path payload, long bytes) throws Exception {
        long start = System.nanoTime();
        Process ssh = new ProcessBuilder(command).redirectInput(payload.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!ssh.waitFor(10, TimeUnit.MINUTES) || ssh.exitValue() != 0) {
            ssh.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
    }

    /** Random bytes, so no layer's compression can flatter a path. */
    static Path incompressible(Path file, long bytes) throws IOException {
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, bytes - written));
            }
        }
        return file;
    }
}
