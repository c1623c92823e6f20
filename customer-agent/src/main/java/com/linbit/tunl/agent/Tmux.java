package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tmux server of the agent's own: its own socket name and config file, so the customer's tmux
 * and {@code ~/.tmux.conf} are never touched, and TMUX is cleared so nesting inside the
 * customer's own tmux works.
 */
final class Tmux {

    static final String SESSION = "tunl";
    static final String QUIT_CHANNEL = "tunl-quit";
    static final String GRANT_CHANNEL = "tunl-grant";
    static final String DENY_CHANNEL = "tunl-deny";
    static final String REVOKE_CHANNEL = "tunl-revoke";
    private static final int KEYS_PER_CALL = 256;

    private final String socket;
    private final Path config;
    private final TmuxKeyboard keyboard = new TmuxKeyboard(() -> builder(TmuxKeyboard.attachArguments(SESSION)));

    Tmux(String socket, Path config) {
        this.socket = socket;
        this.config = config;
    }

    static boolean installed() {
        try {
            Process probe = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes the config: no status bar, only the agent's own key bindings behind Ctrl-b. */
    void writeConfig() throws IOException {
        Files.writeString(config, String.join("\n",
                "set -g status off",
                "set -g default-terminal screen-256color",
                "set -g history-limit 10000",
                "set -g escape-time 10",
                "set -g exit-empty on",
                "set -g destroy-unattached off",
                "unbind-key -a",
                "bind-key C-b send-prefix",
                "bind-key Q wait-for -S " + QUIT_CHANNEL,
                "bind-key G wait-for -S " + GRANT_CHANNEL,
                "bind-key D wait-for -S " + DENY_CHANNEL,
                "bind-key R wait-for -S " + REVOKE_CHANNEL,
                "bind-key o select-pane -t :.+",
                "bind-key Up select-pane -U",
                "bind-key Down select-pane -D",
                "bind-key [ copy-mode",
                "bind-key PPage copy-mode -u",
                ""), StandardCharsets.UTF_8);
    }

    /** Whether the agent tmux of session {@code sessionId} runs on this machine (as this user). */
    static boolean sessionRunning(String sessionId) {
        try {
            // Only asks the server, never starts one: no config needed.
            return new Tmux("tunl-" + sessionId, null).hasSession();
        } catch (IOException e) {
            return false;
        }
    }

    boolean hasSession() throws IOException {
        return run(List.of("has-session", "-t", SESSION)).exit() == 0;
    }

    /** Starts the server with the shared shell, returns the shell pane's id (e.g. {@code %0}). */
    String newSession(Path directory, int columns, int rows) throws IOException {
        Result created = check(run(List.of("new-session", "-d", "-s", SESSION, "-x", Integer.toString(columns),
                "-y", Integer.toString(rows), "-c", directory.toString(), "-P", "-F", "#{pane_id}")));
        return created.stdout().strip();
    }

    void splitBelow(String pane, int rows, List<String> command) throws IOException {
        List<String> args = new ArrayList<>(List.of("split-window", "-v", "-d", "-l", Integer.toString(rows), "-t", pane));
        args.add(shellQuote(command));
        check(run(args));
    }

    void pipeOutput(String pane, Path fifo) throws IOException {
        check(run(List.of("pipe-pane", "-O", "-t", pane, "exec cat >> " + shellQuote(List.of(fifo.toString())))));
    }

    /** Types raw bytes into a pane, exactly as if they came from a keyboard. */
    void sendBytes(String pane, byte[] bytes) throws IOException {
        for (int start = 0; start < bytes.length; start += KEYS_PER_CALL) {
            List<String> args = new ArrayList<>(List.of("send-keys", "-t", pane, "-H"));
            for (int i = start; i < Math.min(bytes.length, start + KEYS_PER_CALL); i++) {
                args.add(String.format("%02x", bytes[i] & 0xff));
            }
            if (!keyboard.type(String.join(" ", args))) {
                check(run(args));
            }
        }
    }

    /** The pane's screen with its colours, and the cursor. */
    Screen capture(String pane) throws IOException {
        String text = check(run(List.of("capture-pane", "-p", "-e", "-t", pane))).stdout();
        String[] info = display(pane, "#{cursor_x} #{cursor_y} #{pane_width} #{pane_height}").split(" ");
        return new Screen(text, Integer.parseInt(info[0]), Integer.parseInt(info[1]),
                Integer.parseInt(info[2]), Integer.parseInt(info[3]));
    }

    String display(String pane, String format) throws IOException {
        return check(run(List.of("display-message", "-p", "-t", pane, format))).stdout().strip();
    }

    /** Blocks until a key binding signals {@code channel}. */
    Process waitFor(String channel) throws IOException {
        return builder(List.of("wait-for", channel)).redirectErrorStream(true).start();
    }

    /** Attaches the customer's terminal as a client process; it ends when detached or when the server ends. */
    Process attach() throws IOException {
        return builder(List.of("attach-session", "-t", SESSION)).inheritIO().start();
    }

    boolean paneExists(String pane) {
        try {
            Result result = run(List.of("display-message", "-p", "-t", pane, "#{pane_dead}"));
            return result.exit() == 0 && "0".equals(result.stdout().strip());
        } catch (IOException e) {
            return false;
        }
    }

    /** Restarts a pane's program, e.g. the chat pane with this run's socket. */
    void respawn(String pane, List<String> command) throws IOException {
        check(run(List.of("respawn-pane", "-k", "-t", pane, shellQuote(command))));
    }

    void killServer() {
        keyboard.close();
        try {
            run(List.of("kill-server"));
        } catch (IOException ignored) {
            // already gone
        }
    }

    Result run(List<String> args) throws IOException {
        Process process = builder(args).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("tmux " + args.get(0) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(process.exitValue(), out, err, args.get(0));
    }

    private ProcessBuilder builder(List<String> args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        if (config != null) {
            command.addAll(List.of("-f", config.toString()));
        }
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("TMUX");
        builder.environment().remove("TMUX_PANE");
        return builder;
    }

    private static Result check(Result result) throws IOException {
        if (result.exit() != 0) {
            throw new IOException("tmux " + result.command() + " failed: " + result.stderr().strip());
        }
        return result;
    }

    static String shellQuote(List<String> words) {
        List<String> quoted = new ArrayList<>();
        for (String word : words) {
            quoted.add("'" + word.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }

    record Result(int exit, String stdout, String stderr, String command) {
    }

    /** A pane's visible screen; {@link #repaint()} turns it into bytes a terminal can replay. */
    record Screen(String text, int cursorX, int cursorY, int columns, int rows) {
        byte[] repaint() {
            StringBuilder out = new StringBuilder(text.length() + 64);
            out.append("\u001b[0m\u001b[H\u001b[2J");
            String[] lines = text.split("\n", -1);
            int count = Math.min(lines.length, rows);
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    out.append("\r\n");
                }
                out.append(lines[i]).append("\u001b[0m");
            }
            out.append("\u001b[").append(cursorY + 1).append(';').append(cursorX + 1).append('H');
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
