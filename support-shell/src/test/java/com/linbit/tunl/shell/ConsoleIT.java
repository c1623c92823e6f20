package com.linbit.tunl.shell;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code tunl} console jar, one-shot and interactive, against the real relay jar (embedded
 * PostgreSQL in a temporary folder). Every console run gets a temporary HOME.
 */
class ConsoleIT {

    private static final String ADMIN_PASSWORD = "console-it-admin-password";

    @TempDir
    static Path temp;
    static Process relay;
    static int sshPort;
    static int httpPort;
    static Path home;
    static Path key;
    static Path ca;

    @BeforeAll
    static void startRelay() throws Exception {
        sshPort = freePort();
        httpPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(java(), "-jar", jar("tunl.relay.jar"),
                "--tunl.data-dir=" + temp.resolve("relay"), "--tunl.ssh.port=" + sshPort,
                "--tunl.ssh.bind-address=127.0.0.1", "--server.port=" + httpPort, "--server.address=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(temp.resolve("relay.log").toFile());
        builder.environment().put("TUNL_ADMIN_PASSWORD", ADMIN_PASSWORD);
        relay = builder.start();
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                .until(() -> http("GET", "/actuator/health", null).statusCode() == 200);

        home = temp.resolve("home");
        Files.createDirectories(home.resolve(".ssh"));
        key = home.resolve(".ssh/id_ed25519");
        assertThat(run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).exit()).isZero();
        HttpResponse<String> added = http("POST", "/api/admin/engineers/alice/keys",
                Files.readString(key.resolveSibling("id_ed25519.pub")));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        ca = temp.resolve("relay-ca.pub");
        Files.writeString(ca, http("GET", "/ca.pub", null).body());
    }

    @AfterAll
    static void stopRelay() throws Exception {
        if (relay != null) {
            relay.destroy();
            if (!relay.waitFor(30, TimeUnit.SECONDS)) {
                relay.destroyForcibly();
            }
        }
    }

    @Test
    void unconfiguredThenSetUpThenEveryOneShotCommand() throws Exception {
        Path fresh = temp.resolve("fresh-" + UUID.randomUUID());
        Files.createDirectories(fresh.resolve(".ssh"));
        Files.copy(key, fresh.resolve(".ssh/id_ed25519"));

        Result unconfigured = tunl(fresh, "sessions");
        assertThat(unconfigured.exit()).isEqualTo(3);
        assertThat(unconfigured.all()).contains("tunl is not set up yet: run setup --relay HOST:PORT --ca-file FILE");

        Result setup = tunl(fresh, "setup", "--relay", "127.0.0.1:" + sshPort, "--ca-file", ca.toString());
        assertThat(setup.exit()).as(setup.all()).isZero();
        assertThat(PosixMode.of(fresh.resolve(".config/tunl/config"))).isEqualTo("rw-------");

        Result whoami = tunl(fresh, "whoami");
        assertThat(whoami.exit()).as(whoami.all()).isZero();
        assertThat(whoami.stdout()).startsWith("alice\n").contains("key SHA256:");

        Result created = tunl(fresh, "create-session", "--case", "4711", "--note", "disk full");
        assertThat(created.exit()).as(created.all()).isZero();
        String id = created.stdout().lines().findFirst().orElseThrow();
        assertThat(id).matches("[a-z]{3,8}(-[a-z]{3,8}){3}");
        assertThat(created.stdout()).contains("linbit-tunl " + id);

        assertThat(tunl(fresh, "sessions").stdout()).containsPattern(id + "\\s+waiting\\s+4711\\s+alice");
        Result chat = tunl(fresh, "chat", id, "hello", "from", "the", "console");
        assertThat(chat.exit()).as(chat.all()).isZero();
        assertThat(tunl(fresh, "history", "--mine", "--limit", "5").stdout()).startsWith("ID ").contains("REASON");

        Result unknown = tunl(fresh, "chat", "quiet-lemon-sings-harbor", "hi");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("tunl: no open session quiet-lemon-sings-harbor").doesNotContain("\tat ");

        Result bogus = tunl(fresh, "bogus");
        assertThat(bogus.exit()).isEqualTo(2);
        assertThat(bogus.stderr()).contains("tunl: unknown command 'bogus'");

        Result version = tunl(fresh, "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.stdout()).contains("Version: ");
    }

    @Test
    void wrongCaAndUnregisteredKeyGetClearMessages() throws Exception {
        Path other = temp.resolve("other-" + UUID.randomUUID());
        Files.createDirectories(other.resolve(".ssh"));
        Path otherKey = other.resolve(".ssh/id_ed25519");
        assertThat(run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString())).exit()).isZero();

        assertThat(tunl(other, "setup", "--relay", "127.0.0.1:" + sshPort, "--ca-file",
                otherKey.resolveSibling("id_ed25519.pub").toString(), "--user", "alice").exit()).isZero();
        Result wrongCa = tunl(other, "whoami");
        assertThat(wrongCa.exit()).isEqualTo(1);
        assertThat(wrongCa.stderr()).contains("could not be verified", "Someone may be intercepting");

        assertThat(tunl(other, "setup", "--relay", "127.0.0.1:" + sshPort, "--ca-file", ca.toString(), "--user", "mallory").exit()).isZero();
        Result unregistered = tunl(other, "whoami");
        assertThat(unregistered.exit()).isEqualTo(1);
        assertThat(unregistered.stderr()).contains("the relay refused the key", "ask an admin to register your public key");
    }

    @Test
    void interactiveConsoleShowsThePromptAndRunsCommands() throws Exception {
        Path interactive = temp.resolve("interactive-" + UUID.randomUUID());
        Files.createDirectories(interactive.resolve(".ssh"));
        Files.copy(key, interactive.resolve(".ssh/id_ed25519"));
        assertThat(tunl(interactive, "setup", "--relay", "127.0.0.1:" + sshPort, "--ca-file", ca.toString(), "--user", "alice").exit())
                .isZero();
        String socket = "tunl-console-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            run(List.of("tmux", "-L", socket, "new-session", "-d", "-x", "120", "-y", "40",
                    "cd '" + interactive + "' && env HOME='" + interactive + "' '" + java() + "' -Duser.home='" + interactive
                            + "' -jar '" + jar("tunl.shell.jar")
                            + "'; echo CONSOLE-EXIT=$?; sleep 60"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(screen(socket)).as("capture-pane trims the space after the prompt").contains("tunl>"));
            run(List.of("tmux", "-L", socket, "send-keys", "whoami", "Enter"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(screen(socket)).contains("key SHA256:"));
            run(List.of("tmux", "-L", socket, "send-keys", "exit", "Enter"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(screen(socket)).contains("CONSOLE-EXIT=0"));
            assertThat(Files.exists(interactive.resolve(".config/tunl/history"))).isTrue();
        } finally {
            run(List.of("tmux", "-L", socket, "kill-server"));
        }
    }

    private static String screen(String socket) throws Exception {
        return run(List.of("tmux", "-L", socket, "capture-pane", "-p")).stdout();
    }

    private static Result tunl(Path userHome, String... args) throws Exception {
        // Java's user.home comes from the password database, not HOME: set both.
        List<String> command = new ArrayList<>(List.of("env", "HOME=" + userHome, "USER=alice", "XDG_CONFIG_HOME=",
                java(), "-Duser.home=" + userHome, "-jar", jar("tunl.shell.jar")));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static HttpResponse<String> http(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10));
        if (body != null) {
            request.header("Content-Type", "text/plain");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String java() {
        return System.getProperty("java.home") + "/bin/java";
    }

    private static String jar(String property) {
        Path jar = Path.of(System.getProperty(property, ""));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(property + " not built: " + jar.toAbsolutePath());
        }
        return jar.toAbsolutePath().toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    record Result(int exit, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    static final class PosixMode {
        static String of(Path file) throws IOException {
            return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        }
    }
}
