package com.linbit.tunl.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image as a container runtime would run it, without a Docker engine: the archive is checked
 * the way {@code docker load} checks it, its layers are unpacked into a root filesystem, and the
 * entrypoint is started under the image's user on that filesystem mounted read-only, with a
 * writable {@code /tmp} and {@code /data} as the Helm chart gives it. Mounting and chroot need
 * root, as the rest of the suite does.
 */
class ContainerImageIT {

    private static final int RELAY_UID = 10001;

    @TempDir
    static Path work;
    static ImageArchive image;
    static Path rootfs;

    @BeforeAll
    static void unpack() throws Exception {
        assertThat(ProcessHandle.current().info().user()).as("this test mounts and chroots, so it runs as root")
                .hasValue("root");
        image = ImageArchive.open(Path.of(System.getProperty("tunl.image.tar")), work);
        rootfs = image.unpackRootFilesystem(work.resolve("rootfs"));
    }

    @Test
    void theArchiveIsConsistentAsRuntimesCheckIt() throws IOException {
        assertThat(image.repoTags()).containsExactly(System.getProperty("tunl.image"));
        assertThat(image.configFileName()).isEqualTo(ImageArchive.sha256Of(image.file(image.configFileName())) + ".json");
        List<String> actualDiffIds = new ArrayList<>();
        for (Path layer : image.layers()) {
            actualDiffIds.add(ImageArchive.diffId(layer));
        }
        assertThat(actualDiffIds).isEqualTo(image.diffIds());
        assertThat(image.document().get("history")).hasSize(image.layers().size());
    }

    @Test
    void theImageRunsTheRelayAsANonRootUserExposingSshAndHttp() {
        JsonNode config = image.config();
        assertThat(config.get("User").asString()).isEqualTo(RELAY_UID + ":" + RELAY_UID);
        assertThat(config.get("ExposedPorts").propertyNames()).containsExactlyInAnyOrder("2222/tcp", "8080/tcp");
        assertThat(config.get("Volumes").propertyNames()).containsExactly("/data");
        assertThat(environment()).containsEntry("TUNL_DATADIR", "/data");
        String java = config.get("Entrypoint").get(0).asString();
        assertThat(rootfs.resolve(java.substring(1))).isExecutable();
    }

    @Test
    void onlyTheRelaysDataBelongsToItsUserAndNothingIsSetuidOrWorldWritable() throws IOException {
        Map<String, Integer> notRoots = new TreeMap<>();
        List<String> risky = new ArrayList<>();
        try (Stream<Path> files = Files.walk(rootfs)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = "/" + rootfs.relativize(file);
                int uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if (uid != 0) {
                    notRoots.put(name, uid);
                }
                boolean link = Files.isSymbolicLink(file);
                if ((mode & 06000) != 0 || (!link && (mode & 02) != 0 && !name.equals("/tmp"))) {
                    risky.add(name + " " + Integer.toOctalString(mode & 07777));
                }
            }
        }
        assertThat(notRoots).isEqualTo(Map.of("/data", RELAY_UID, "/home/tunl", RELAY_UID));
        assertThat(risky).isEmpty();
    }

    @Test
    void theRelayStartsOnAReadOnlyRootAndAnswersHealthAndSsh() throws Exception {
        Path tmp = Files.createDirectories(work.resolve("pod-tmp"));
        Path data = Files.createDirectories(work.resolve("pod-data"));
        ImageArchive.run("chmod", "1777", tmp.toString());
        ImageArchive.run("chown", RELAY_UID + ":" + RELAY_UID, data.toString());
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createDirectories(rootfs.resolve("dev"));
        int httpPort = freePort();
        int sshPort = freePort();
        Map<String, String> env = environment();
        env.putAll(Map.of("SERVER_ADDRESS", "127.0.0.1", "SERVER_PORT", Integer.toString(httpPort),
                "TUNL_SSH_BINDADDRESS", "127.0.0.1", "TUNL_SSH_PORT", Integer.toString(sshPort),
                "TUNL_ADMIN_PASSWORD", "container-image-test-password"));

        Process pod = startLikeARuntime(env, tmp, data);
        try {
            String health = awaitHealth(httpPort, pod);
            assertThat(health).contains("\"status\":\"UP\"");
            assertThat(sshBanner(sshPort)).startsWith("SSH-2.0-");
            ProcessHandle relay = pod.toHandle().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("/bin/java")).findFirst().orElseThrow();
            assertThat(uidOf(relay.pid())).isEqualTo(RELAY_UID);
            assertThat(Files.getAttribute(data.resolve("postgres"), "unix:uid")).isEqualTo(RELAY_UID);
        } finally {
            stop(pod);
        }
    }

    private static Process startLikeARuntime(Map<String, String> env, Path tmp, Path data) throws IOException {
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--fork", "--kill-child", "bash", "-c", """
                set -e
                root=$1 tmp=$2 data=$3; shift 3
                mount --bind "$root" "$root"
                mount -o remount,bind,ro "$root"
                mount --bind /proc "$root/proc"
                mount --bind /dev "$root/dev"
                mount --bind "$tmp" "$root/tmp"
                mount --bind "$data" "$root/data"
                exec "$@"
                """, "pod", rootfs.toString(), tmp.toString(), data.toString(), "env", "-i"));
        env.forEach((name, value) -> command.add(name + "=" + value));
        command.addAll(List.of("/usr/sbin/chroot", "--userspec=" + image.config().get("User").asString(), rootfs.toString()));
        image.config().get("Entrypoint").forEach(part -> command.add(part.asString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("relay.log").toFile()).start();
    }

    private Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>();
        image.config().get("Env").forEach(entry -> {
            String[] pair = entry.asString().split("=", 2);
            env.put(pair[0], pair[1]);
        });
        return env;
    }

    private static String awaitHealth(int port, Process pod) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline) && pod.isAlive()) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the relay in the image did not become healthy (exit "
                + (pod.isAlive() ? "none" : pod.exitValue()) + "); its log:\n"
                + Files.readString(work.resolve("relay.log")));
    }

    private static String sshBanner(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString().strip();
        }
    }

    private static int uidOf(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("Uid:")).map(line -> Integer.parseInt(line.split("\\s+")[1]))
                .findFirst().orElseThrow();
    }

    /** As a runtime stops a pod: SIGTERM to the relay, which shuts its embedded PostgreSQL down. */
    private static void stop(Process pod) throws InterruptedException {
        List<ProcessHandle> started = pod.toHandle().descendants().toList();
        started.stream().filter(p -> p.info().command().orElse("").endsWith("/bin/java")).forEach(ProcessHandle::destroy);
        if (!pod.waitFor(60, TimeUnit.SECONDS)) {
            pod.destroyForcibly().waitFor();
        }
        started.forEach(ProcessHandle::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
