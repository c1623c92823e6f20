package com.linbit.tunl.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The customer's sshd: stock OpenSSH {@code sshd} from the openssh-server package on a loopback
 * port of its own, with its own config and host key, reading the authorized_keys file the test
 * names (the customer's, under a temporary HOME). Runs as root, as the tests do here.
 */
public final class CustomerSshd implements AutoCloseable {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Process process;
    private final int port;
    private final Path log;

    private CustomerSshd(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static CustomerSshd start(Path folder, Path authorizedKeys) throws IOException, InterruptedException {
        // debug1 names every forwarded connection's target: tests check what went through.
        return start(folder, authorizedKeys, "DEBUG1");
    }

    /** As {@link #start(Path, Path)}, logging at {@code logLevel} (a benchmark wants ERROR). */
    public static CustomerSshd start(Path folder, Path authorizedKeys, String logLevel) throws IOException, InterruptedException {
        if (!Files.isExecutable(SSHD)) {
            throw new IllegalStateException("these tests need stock OpenSSH sshd: apt-get install openssh-server");
        }
        Files.createDirectories(folder);
        Path hostKey = folder.resolve("ssh_host_ed25519_key");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
            throw new IllegalStateException("ssh-keygen failed for the sshd host key");
        }
        int port = Ports.free();
        Path config = folder.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + authorizedKeys,
                "StrictModes no",
                "PidFile none",
                "UsePAM no",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "LogLevel " + logLevel,
                ""), StandardCharsets.UTF_8);
        Files.createDirectories(Path.of("/run/sshd"));
        Path log = folder.resolve("sshd.log");
        Process sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        CustomerSshd started = new CustomerSshd(sshd, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!started.accepts()) {
            if (!sshd.isAlive() || System.nanoTime() > deadline) {
                started.close();
                throw new IllegalStateException("sshd did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return started;
    }

    public int port() {
        return port;
    }

    /** The listening sshd: its CPU time includes the connections it forked once they end. */
    public long pid() {
        return process.pid();
    }

    /** What sshd logged (-e), for failure messages. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        Processes.stop(process, 10);
    }
}
