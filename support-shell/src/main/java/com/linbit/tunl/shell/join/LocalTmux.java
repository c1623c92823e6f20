package com.linbit.tunl.shell.join;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.linbit.tunl.shell.SelfCommand;

/**
 * The engineer's local tmux for one join: its own server socket and config in the join's private
 * folder, so the engineer's own tmux (and its settings) are never touched. Window 0 is the
 * shared shell, window 1 the chat.
 */
final class LocalTmux implements AutoCloseable {

    static final String SESSION = "tunl";

    private final Path socket;

    private LocalTmux(Path socket) {
        this.socket = socket;
    }

    /** Refuses early, with what to do, when tmux is missing or too old. */
    static void requireTmux() {
        String version;
        try {
            Process process = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new JoinException("join needs tmux 3.0 or newer; install it (apt-get install tmux, dnf install tmux)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoinException("interrupted");
        }
        String number = version.replaceFirst("^tmux\\s+(next-)?", "");
        if (!number.isEmpty() && Character.isDigit(number.charAt(0)) && number.charAt(0) < '3' && number.charAt(1) == '.') {
            throw new JoinException("join needs tmux 3.0 or newer; this is " + version);
        }
    }

    static LocalTmux start(Path folder, String sessionId, List<String> shellWindow, List<String> chatWindow) throws IOException {
        Path config = folder.resolve("tmux.conf");
        Files.write(config, configuration(sessionId), StandardCharsets.UTF_8);
        LocalTmux tmux = new LocalTmux(folder.resolve("tmux.sock"));
        if (tmux.run("-f", config.toString(), "new-session", "-d", "-s", SESSION, "-n", "shell", "-x", "80", "-y", "24",
                "exec " + SelfCommand.shellLine(shellWindow)) != 0
                || tmux.run("new-window", "-d", "-t", SESSION + ":1", "-n", "chat", "exec " + SelfCommand.shellLine(chatWindow)) != 0) {
            tmux.close();
            throw new IOException("tmux could not start a server on " + tmux.socket);
        }
        return tmux;
    }

    private static List<String> configuration(String sessionId) {
        return List.of(
                "set -g status-left '[tunl " + sessionId + "] '",
                "set -g status-left-length 60",
                "set -g status-right 'Ctrl-b 0 shell | Ctrl-b 1 chat | Ctrl-b d leave'",
                "set -g status-right-length 60",
                "set -g escape-time 10",
                "set -g history-limit 10000",
                "set -g remain-on-exit off",
                "set -g exit-empty on",
                "set -g destroy-unattached off");
    }

    /**
     * Attaches this terminal and returns when the engineer detaches or the server ends. Inside
     * the engineer's own tmux this nests (TMUX is cleared for the child only).
     */
    int attach() throws IOException, InterruptedException {
        ProcessBuilder attach = new ProcessBuilder(command("attach-session", "-t", SESSION)).inheritIO();
        attach.environment().remove("TMUX");
        return attach.start().waitFor();
    }

    @Override
    public void close() {
        try {
            run("kill-server");
        } catch (IOException e) {
            // no server left to kill
        }
    }

    private int run(String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(args))
                .redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("TMUX");
        try {
            Process process = builder.start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("tmux " + String.join(" ", args) + " did not finish");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        command.addAll(List.of(args));
        return command;
    }
}
