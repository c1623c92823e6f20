package com.linbit.tunl.shell.command;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingReader;

import com.linbit.tunl.shell.relay.Relay;
import com.linbit.tunl.shell.relay.RelayException;
import com.linbit.tunl.shell.relay.ShellConfig;
import com.linbit.tunl.shell.tunnel.CustomerSsh;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code browser <id> [--port 1080] [--user NAME] [--open]}: a SOCKS5 proxy on this machine's
 * loopback that reaches hosts from the customer's side, through the customer's sshd behind the
 * granted tunnel (ssh's dynamic forwarding). Runs until Enter, or until the tunnel goes.
 */
@Component
class BrowserCommand {

    private static final List<String> CHROMIUM_LIKE = List.of("chromium", "chromium-browser", "google-chrome", "microsoft-edge");
    private static final long START_PATIENCE_MILLIS = 30_000;

    private final Relay relay;
    private final ObjectProvider<Terminal> console;

    BrowserCommand(Relay relay, ObjectProvider<Terminal> console) {
        this.relay = relay;
        this.console = console;
    }

    @Command(name = "browser", group = "Tunnels", availabilityProvider = "relayConfigured", completionProvider = "sessionIds",
            description = "a local SOCKS5 proxy through the customer's sshd, for a web UI on the customer's side",
            help = "browser <session-id> [--port 1080] [--user NAME] [--open]")
    String browser(@Argument(index = 0, description = "session ID") String id,
                   @Option(longName = "port", description = "local SOCKS5 port on 127.0.0.1", defaultValue = "1080") int port,
                   @Option(longName = "user", description = "user on the customer's machine", defaultValue = "root") String user,
                   @Option(longName = "open", description = "start a browser that uses the proxy") boolean open)
            throws IOException, InterruptedException {
        if (id == null) {
            throw new RelayException("usage: browser <session-id> [--port 1080] [--user NAME] [--open]");
        }
        if (port < 1 || port > 65535) {
            throw new RelayException("--port needs a port number from 1 to 65535");
        }
        ShellConfig config = relay.config().orElseThrow(() -> new RelayException("tunl is not set up yet: run setup"));
        requireFree(port);
        Process ssh = CustomerSsh.command(config, relay.environment(), id, user,
                        List.of("-N", "-D", "127.0.0.1:" + port, "-o", "ExitOnForwardFailure=yes"), List.of())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> readAll(ssh.getErrorStream()));
        try {
            awaitProxy(ssh, port, errors);
            String proxy = "socks5://127.0.0.1:" + port;
            say("SOCKS5 proxy " + proxy + " reaches hosts from " + id + "'s side (through its sshd, as " + user + ").");
            say("Point a browser at it, e.g. chromium --proxy-server=" + proxy + " --user-data-dir=$(mktemp -d),"
                    + " or Firefox: Settings > Network > Manual proxy > SOCKS v5, with \"Proxy DNS\" on.");
            if (open) {
                say(openBrowser(proxy).orElse("no Chromium-like browser found on PATH; start one as above"));
            }
            say("Press Enter to stop the proxy.");
            waitForEnterOrEnd(ssh);
            if (!ssh.isAlive()) {
                throw new RelayException("the tunnel closed (revoked, or the session ended); proxy stopped");
            }
            return "proxy stopped";
        } finally {
            ssh.destroy();
        }
    }

    /** Otherwise the readiness probe below would find whatever already listens there. */
    private static void requireFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new RelayException("port " + port + " on 127.0.0.1 is in use; choose another with --port");
        }
    }

    private static void awaitProxy(Process ssh, int port, CompletableFuture<String> errors) throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_PATIENCE_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!ssh.isAlive()) {
                throw new RelayException("no proxy: " + errors.join().strip());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new RelayException("no proxy after " + START_PATIENCE_MILLIS / 1000 + " s; is the tunnel granted?");
    }

    private void waitForEnterOrEnd(Process ssh) throws IOException, InterruptedException {
        Terminal terminal = console.getIfAvailable();
        NonBlockingReader keys = terminal == null ? null : terminal.reader();
        while (ssh.isAlive()) {
            if (keys != null) {
                int key = keys.read(200L);
                if (key >= 0 || key == NonBlockingReader.EOF) {
                    return;
                }
            } else if (System.in.available() > 0) {
                return;
            } else {
                Thread.sleep(200);
            }
        }
    }

    private static Optional<String> openBrowser(String proxy) throws IOException {
        for (String name : CHROMIUM_LIKE) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    Path profile = Files.createTempDirectory("tunl-browser-");
                    new ProcessBuilder(candidate.toString(), "--proxy-server=" + proxy, "--user-data-dir=" + profile)
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    return Optional.of("started " + candidate + " with the proxy (its own profile in " + profile + ")");
                }
            }
        }
        return Optional.empty();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static String readAll(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
