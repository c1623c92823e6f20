package com.linbit.tunl.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An older Debian release to run the customer's side in, as customers run it: a root made by
 * {@code debootstrap} from Debian's archive (as apt is configured on this machine), with that
 * release's own packages. Building one takes minutes, so it is cached under
 * {@code /var/cache/tunl/debootstrap} by release and package list; each test gets it through an
 * overlay mount, so it starts from the same root and leaves the cache as it was. {@code /proc} and
 * the host's {@code /dev/pts} (terminals for tmux) are mounted inside. {@link #close} ends every
 * process whose root is this one and takes every mount down again. Needs root and
 * {@code debootstrap} ({@code .ci/run} installs it).
 */
public final class DebianRoot implements AutoCloseable {

    /** Debian 11: tmux 3.1c, OpenSSH 8.4p1, OpenJDK 17. */
    public static final String BULLSEYE = "bullseye";
    public static final List<String> CUSTOMER_PACKAGES = List.of("tmux", "openssh-server", "openjdk-17-jre-headless");

    private static final Path CACHE = Path.of("/var/cache/tunl/debootstrap");
    private static final String FALLBACK_MIRROR = "http://deb.debian.org/debian";

    private final Path work;
    private final Path root;
    private final List<Path> mounts = new ArrayList<>();

    private DebianRoot(Path work) {
        this.work = work;
        this.root = work.resolve("root");
    }

    /** A fresh view of the cached {@code suite} root with {@code packages}, built first if not cached yet. */
    public static DebianRoot of(String suite, List<String> packages, Path work) throws IOException, InterruptedException {
        Path cached = cached(suite, packages);
        DebianRoot view = new DebianRoot(work);
        try {
            view.mount(cached);
        } catch (IOException | RuntimeException e) {
            view.close();
            throw e;
        }
        return view;
    }

    public Path path() {
        return root;
    }

    /** {@code pathInRoot} (absolute, as seen inside) on the host. */
    public Path file(String pathInRoot) {
        return root.resolve(pathInRoot.substring(1));
    }

    /** {@code chroot <root> command...}, with a clean environment of the release's own. */
    public List<String> command(String... command) {
        List<String> full = new ArrayList<>(List.of("chroot", root.toString(), "/usr/bin/env", "-i",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8",
                "TERM=screen"));
        full.addAll(List.of(command));
        return full;
    }

    /** Runs {@code command} inside to its end; its output, or an exception naming it. */
    public String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed in the " + root + " root: " + output);
        }
        return output;
    }

    /** The stock OpenSSH sshd of this release, on a loopback port, with its default authorized_keys and StrictModes. */
    public Sshd startSshd() throws IOException, InterruptedException {
        int port = Ports.free();
        Files.writeString(file("/etc/ssh/sshd_config_tunl_test"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey /etc/ssh/ssh_host_ed25519_key",
                "PidFile /run/sshd-tunl-test.pid",
                "UsePAM no",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "LogLevel DEBUG1",
                ""), StandardCharsets.UTF_8);
        Files.createDirectories(file("/run/sshd"));
        Path log = work.resolve("sshd.log");
        Process sshd = new ProcessBuilder(command("/usr/sbin/sshd", "-D", "-e", "-f", "/etc/ssh/sshd_config_tunl_test"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Sshd started = new Sshd(sshd, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (started.banner().isEmpty()) {
            if (!sshd.isAlive() || System.nanoTime() > deadline) {
                Processes.stop(sshd, 5);
                throw new IllegalStateException("sshd did not start in the " + root + " root: " + started.log());
            }
            Thread.sleep(100);
        }
        return started;
    }

    /** A release's own sshd, started by {@link #startSshd}; it ends with the root. */
    public record Sshd(Process process, int port, Path logFile) {

        /** What it says first on connect, e.g. {@code SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u3}. */
        public String banner() {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                socket.setSoTimeout(2000);
                StringBuilder line = new StringBuilder();
                int b;
                while ((b = socket.getInputStream().read()) >= 0 && b != '\n') {
                    line.append((char) b);
                }
                return line.toString().strip();
            } catch (IOException notYet) {
                return "";
            }
        }

        public String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }

    /** Ends every process whose root is this one, takes the mounts down, and removes the overlay's own files. */
    @Override
    public void close() {
        killProcessesInside();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            unmount(mounts.get(i));
        }
        mounts.clear();
        for (String part : List.of("upper", "overlay-work")) {
            deleteTree(work.resolve(part));
        }
    }

    private void mount(Path cached) throws IOException, InterruptedException {
        for (String part : List.of("upper", "overlay-work", "root")) {
            Files.createDirectories(work.resolve(part));
        }
        exec("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + cached + ",upperdir=" + work.resolve("upper")
                + ",workdir=" + work.resolve("overlay-work"), root.toString());
        mounts.add(root);
        exec("mount", "-t", "proc", "proc", root.resolve("proc").toString());
        mounts.add(root.resolve("proc"));
        exec("mount", "--bind", "/dev/pts", root.resolve("dev/pts").toString());
        mounts.add(root.resolve("dev/pts"));
    }

    /** The cached root for {@code suite} and {@code packages}; built (once, under a lock) if missing. */
    private static Path cached(String suite, List<String> packages) throws IOException, InterruptedException {
        Files.createDirectories(CACHE);
        String key = suite + "-" + digest(suite + " " + String.join(",", packages) + " minbase").substring(0, 12);
        Path cached = CACHE.resolve(key);
        try (FileChannel lockFile = FileChannel.open(CACHE.resolve(key + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            if (Files.isRegularFile(cached.resolve("usr/bin/tmux"))) {
                return cached;
            }
            Path partial = CACHE.resolve(key + ".partial");
            exec("rm", "-rf", partial.toString());
            if (!Files.isExecutable(Path.of("/usr/sbin/debootstrap"))) {
                throw new IllegalStateException("building a " + suite + " root needs debootstrap: apt-get install debootstrap");
            }
            exec("/usr/sbin/debootstrap", "--variant=minbase", "--include=" + String.join(",", packages), suite,
                    partial.toString(), mirror());
            exec("rm", "-rf", cached.toString());
            Files.move(partial, cached);
            return cached;
        }
    }

    /** Debian's archive as apt is configured on this machine (deb822 sources or sources.list). */
    static String mirror() {
        List<Path> sources = new ArrayList<>();
        Path listDir = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(listDir)) {
            try (Stream<Path> files = Files.list(listDir)) {
                files.sorted().forEach(sources::add);
            } catch (IOException e) {
                // fall through to sources.list
            }
        }
        sources.add(Path.of("/etc/apt/sources.list"));
        for (Path source : sources) {
            try {
                for (String line : Files.readAllLines(source)) {
                    String text = line.strip();
                    String uri = text.startsWith("URIs:") ? text.substring(5).strip().split("\\s+")[0]
                            : text.startsWith("deb ") ? text.replaceFirst("^deb\\s+(\\[[^]]*]\\s+)?", "").split("\\s+")[0] : null;
                    if (uri != null && uri.matches("https?://.+/debian/?")) {
                        return uri.replaceFirst("/$", "");
                    }
                }
            } catch (IOException e) {
                // next source
            }
        }
        return FALLBACK_MIRROR;
    }

    private void killProcessesInside() {
        for (int round = 0; round < 10; round++) {
            List<ProcessHandle> inside = ProcessHandle.allProcesses().filter(this::runsInside).toList();
            if (inside.isEmpty()) {
                return;
            }
            inside.forEach(ProcessHandle::destroyForcibly);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean runsInside(ProcessHandle process) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "root")).equals(root);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void unmount(Path mount) {
        try {
            exec("umount", mount.toString());
        } catch (IOException e) {
            try {
                exec("umount", "-l", mount.toString());
            } catch (IOException | InterruptedException again) {
                // reported by the next test that finds it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path folder) {
        try {
            exec("rm", "-rf", folder.toString());
        } catch (IOException | InterruptedException e) {
            // a temp folder; the test's cleanup tries again
        }
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
