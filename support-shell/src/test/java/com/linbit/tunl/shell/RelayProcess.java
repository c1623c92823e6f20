package com.linbit.tunl.shell;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real relay jar as a process on ephemeral loopback ports, embedded PostgreSQL in {@code folder}. */
final class RelayProcess implements AutoCloseable {

    private static final String ADMIN_PASSWORD = "console-it-admin-password";

    private final Process process;
    private final Path folder;
    private final int sshPort;
    private final int httpPort;

    private RelayProcess(Process process, Path folder, int sshPort, int httpPort) {
        this.process = process;
        this.folder = folder;
        this.sshPort = sshPort;
        this.httpPort = httpPort;
    }

    static RelayProcess start(Path folder) throws Exception {
        return start(folder, freePort(), freePort());
    }

    /** Stops this relay (as a rolling update would) and starts it again on the same folder and ports. */
    RelayProcess restart() throws Exception {
        close();
        return start(folder, sshPort, httpPort);
    }

    private static RelayProcess start(Path folder, int sshPort, int httpPort) throws Exception {
        Files.createDirectories(folder);
        ProcessBuilder builder = new ProcessBuilder(Processes.java(), "-jar", Processes.jar("tunl.relay.jar"),
                "--tunl.data-dir=" + folder.resolve("data"), "--tunl.ssh.port=" + sshPort,
                "--tunl.ssh.bind-address=127.0.0.1", "--server.port=" + httpPort, "--server.address=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("relay.log").toFile()));
        builder.environment().put("TUNL_ADMIN_PASSWORD", ADMIN_PASSWORD);
        RelayProcess relay = new RelayProcess(builder.start(), folder, sshPort, httpPort);
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                .until(() -> relay.http("GET", "/actuator/health", null).statusCode() == 200);
        return relay;
    }

    int sshPort() {
        return sshPort;
    }

    /** Registers {@code publicKeyFile} for {@code engineer} through the admin API. */
    void register(String engineer, Path publicKeyFile) throws Exception {
        HttpResponse<String> added = http("POST", "/api/admin/engineers/" + engineer + "/keys", Files.readString(publicKeyFile));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    }

    /** Writes the relay's CA keys (GET /ca.pub) to {@code file}. */
    Path saveCa(Path file) throws Exception {
        Files.writeString(file, http("GET", "/ca.pub", null).body());
        return file;
    }

    HttpResponse<String> http(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10));
        if (body != null) {
            request.header("Content-Type", "text/plain");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
