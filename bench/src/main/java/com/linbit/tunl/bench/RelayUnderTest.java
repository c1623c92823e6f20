package com.linbit.tunl.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.linbit.tunl.testing.Ports;

/**
 * The relay jar as its own process on loopback, with embedded PostgreSQL in the run's folder and
 * the per-address and per-engineer caps raised: every simulated customer and viewer comes from
 * 127.0.0.1 and one engineer.
 */
final class RelayUnderTest implements AutoCloseable {

    private static final String ADMIN_PASSWORD = "bench-admin-password-" + System.nanoTime();
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private final Process process;
    private final int sshPort;
    private final int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private RelayUnderTest(Process process, int sshPort, int httpPort) {
        this.process = process;
        this.sshPort = sshPort;
        this.httpPort = httpPort;
    }

    static RelayUnderTest start(Path jar, Path folder, List<String> jvmOptions) throws IOException, InterruptedException {
        int sshPort = Ports.free();
        int httpPort = Ports.free();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(),
                "--tunl.data-dir=" + folder.resolve("data"),
                "--tunl.ssh.port=" + sshPort, "--tunl.ssh.bind-address=127.0.0.1",
                "--server.port=" + httpPort, "--server.address=127.0.0.1",
                "--tunl.ssh.max-connections-per-address=100000",
                "--tunl.session.max-open-per-engineer=100000",
                "--logging.level.root=WARN"));
        Files.createDirectories(folder);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve("relay.log").toFile());
        builder.environment().put("TUNL_ADMIN_PASSWORD", ADMIN_PASSWORD);
        RelayUnderTest relay = new RelayUnderTest(builder.start(), sshPort, httpPort);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!relay.healthy()) {
            if (!relay.process.isAlive() || System.nanoTime() > deadline) {
                relay.close();
                throw new IllegalStateException("the relay did not start; see " + folder.resolve("relay.log"));
            }
            Thread.sleep(200);
        }
        return relay;
    }

    int sshPort() {
        return sshPort;
    }

    long pid() {
        return process.pid();
    }

    void registerKey(String engineer, String publicKeyLine) throws IOException, InterruptedException {
        HttpResponse<String> added = send("POST", "/api/admin/engineers/" + engineer + "/keys", publicKeyLine);
        if (added.statusCode() != 201) {
            throw new IllegalStateException("registering " + engineer + "'s key: " + added.statusCode() + " " + added.body());
        }
    }

    String get(String path) throws IOException, InterruptedException {
        return send("GET", path, null).body();
    }

    /** Heap in use after a full collection, as the JVM reports it (jcmd, same user). */
    long heapUsedAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("no heap figure from jcmd GC.heap_info");
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(60, TimeUnit.SECONDS);
        return output;
    }

    private boolean healthy() {
        try {
            return send("GET", "/actuator/health", null).statusCode() == 200;
        } catch (IOException | InterruptedException notYet) {
            return false;
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "text/plain");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
