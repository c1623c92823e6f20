package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A tmux server of the agent's own: its own socket name and config file, so the customer's tmux
 * and {@code ~/.tmux.conf} are never touched, and TMUX is cleared so nesting inside the
 * customer's own tmux works.
 *
 * <p>tmux expands formats ({@code #(command)} runs a shell command in the server, {@code %Y} is a
 * date) in some arguments: {@code new-session -c} and the {@code pipe-pane} command among them. So no
 * path or name from the customer's machine is ever passed in such an argument: the shell starts in
 * the working directory of the tmux process that creates it, and the one path {@code pipe-pane}
 * gets is the agent's own, checked to hold no character a format could use.
 */
final class Tmux {

    static final String SESSION = "tunl";
    static final String QUIT_CHANNEL = "tunl-quit";
    static final String GRANT_CHANNEL = "tunl-grant";
    static final String DENY_CHANNEL = "tunl-deny";
    static final String REVOKE_CHANNEL = "tunl-revoke";
    private static final int KEYS_PER_CALL = 256;
    /** What a path handed to a tmux format may hold: nothing a format or strftime reads. */
    private static final Pattern FORMAT_SAFE = Pattern.compile("[A-Za-z0-9/._+-]+");

    private final String socket;
    private final Path config;
    private final TmuxVersion.Keystrokes keystrokes;
    private final TmuxKeyboard keyboard = new TmuxKeyboard(() -> builder(TmuxKeyboard.attachArguments(SESSION)));

    Tmux(String socket, Path config, TmuxVersion.Keystrokes keystrokes) {
        this.socket = socket;
        this.config = config;
        this.keystrokes = keystrokes;
    }

    /**
     * Clears what would point tmux elsewhere: TMUX and TMUX_PANE (the customer's own tmux) and
     * TMUX_TMPDIR (a socket folder another user may have chosen, e.g. through {@code sudo -E}).
     */
    static ProcessBuilder environment(ProcessBuilder builder) {
        builder.environment().remove("TMUX");
        builder.environment().remove("TMUX_PANE");
        builder.environment().remove("TMUX_TMPDIR");
        return builder;
    }

    /** Writes the config: no status bar, only the agent's own key bindings behind Ctrl-b. */
    void writeConfig() throws IOException {
        String text = String.join("\n",
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
                "");
        try (FileChannel file = OwnFolders.open(config, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            file.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Whether the agent tmux of session {@code sessionId} runs on this machine (as this user). */
    static boolean sessionRunning(String sessionId) {
        try {
            // Only asks the server, never starts one: no config needed.
            return new Tmux("tunl-" + sessionId, null, TmuxVersion.Keystrokes.SEND_KEYS_HEX).hasSession();
        } catch (IOException e) {
            return false;
        }
    }

    boolean hasSession() throws IOException {
        return run(List.of("has-session", "-t", SESSION)).exit() == 0;
    }

    /**
     * Starts the server with the shared shell in {@code directory}, returns the shell pane's id (e.g.
     * {@code %0}). The directory is the tmux process's own working directory, never {@code -c}.
     */
    String newSession(Path directory, int columns, int rows) throws IOException {
        ProcessBuilder builder = builder(List.of("new-session", "-d", "-s", SESSION, "-x", Integer.toString(columns),
                "-y", Integer.toString(rows), "-P", "-F", "#{pane_id}"));
        if (directory != null && Files.isDirectory(directory)) {
            builder.directory(directory.toFile());
        }
        return check(run(builder, "new-session")).stdout().strip();
    }

    void splitBelow(String pane, int rows, List<String> command) throws IOException {
        List<String> args = new ArrayList<>(List.of("split-window", "-v", "-d", "-l", Integer.toString(rows), "-t", pane));
        args.add(shellQuote(command));
        check(run(args));
    }

    /** Pipes the pane's output into {@code fifo}, a path of the agent's own that a format cannot misread. */
    void pipeOutput(String pane, Path fifo) throws IOException {
        check(run(List.of("pipe-pane", "-O", "-t", pane, "exec cat >> " + formatSafe(fifo))));
    }

    /** {@code path} as is, or refused when it holds anything a tmux format would read. */
    static String formatSafe(Path path) throws IOException {
        String text = path.toString();
        if (!FORMAT_SAFE.matcher(text).matches()) {
            throw new IOException("the path " + text + " is not plain enough to hand to tmux");
        }
        return text;
    }

    /**
     * Types raw bytes into a pane, exactly as if they came from a keyboard; returns how many bytes
     * could not be typed (only where tmux takes key codes and the bytes are not UTF-8).
     */
    int sendBytes(String pane, byte[] bytes) throws IOException {
        if (keystrokes == TmuxVersion.Keystrokes.KEY_CODES) {
            KeyCodes codes = KeyCodes.of(bytes);
            for (int start = 0; start < codes.words().size(); start += KEYS_PER_CALL) {
                List<String> args = new ArrayList<>(List.of("send-keys", "-t", pane));
                args.addAll(codes.words().subList(start, Math.min(codes.words().size(), start + KEYS_PER_CALL)));
                check(run(args));
            }
            return codes.untypable();
        }
        for (int start = 0; start < bytes.length; start += KEYS_PER_CALL) {
            List<String> args = new ArrayList<>(List.of("send-keys", "-t", pane, "-H"));
            for (int i = start; i < Math.min(bytes.length, start + KEYS_PER_CALL); i++) {
                args.add(String.format("%02x", bytes[i] & 0xff));
            }
            if (keystrokes != TmuxVersion.Keystrokes.CONTROL_CLIENT || !keyboard.type(String.join(" ", args))) {
                check(run(args));
            }
        }
        return 0;
    }

    /**
     * The pane as one repaint of at most {@code limit} bytes: in colour when that fits, else as plain
     * text (a huge, colourful terminal), else its lowest rows that fit.
     */
    Repaint repaint(String pane, int limit) throws IOException {
        Screen screen = capture(pane, true);
        byte[] bytes = screen.repaint();
        if (bytes.length > limit) {
            screen = capture(pane, false);
            bytes = Objects.requireNonNullElse(screen.repaint(limit), new byte[0]);
        }
        return new Repaint(screen, bytes);
    }

    record Repaint(Screen screen, byte[] bytes) {
    }

    /** The pane's visible screen, with its colours or as plain text, and the cursor. */
    Screen capture(String pane, boolean colours) throws IOException {
        List<String> args = new ArrayList<>(List.of("capture-pane", "-p", "-t", pane));
        if (colours) {
            args.add(2, "-e");
        }
        String text = check(run(args)).stdout();
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

    /** Ends the server and removes its socket, which tmux leaves behind in {@code /tmp/tmux-<uid>}. */
    void killServer() {
        keyboard.close();
        try {
            run(List.of("kill-server"));
        } catch (IOException ignored) {
            // already gone
        }
        try {
            // TMUX_TMPDIR is cleared for every tmux of the agent's, so the socket is in /tmp.
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            Files.deleteIfExists(Path.of("/tmp", "tmux-" + uid, socket));
        } catch (IOException e) {
            // nothing to remove
        }
    }

    Result run(List<String> args) throws IOException {
        return run(builder(args), args.get(0));
    }

    private static Result run(ProcessBuilder builder, String command) throws IOException {
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("tmux " + command + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(process.exitValue(), out, err, command);
    }

    private ProcessBuilder builder(List<String> args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        if (config != null) {
            command.addAll(List.of("-f", config.toString()));
        }
        command.addAll(args);
        return environment(new ProcessBuilder(command));
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
            return repaint(Integer.MAX_VALUE);
        }

        /**
         * The repaint in at most {@code limit} bytes: rows from the top are left blank until the rest
         * fits (the prompt and the cursor are usually at the bottom); null when not even the cursor
         * move fits.
         */
        byte[] repaint(int limit) {
            String[] lines = text.split("\n", -1);
            int count = Math.min(lines.length, rows);
            byte[][] encoded = new byte[count][];
            long total = 0;
            for (int i = 0; i < count; i++) {
                encoded[i] = (lines[i] + "\u001b[0m").getBytes(StandardCharsets.UTF_8);
                total += encoded[i].length + 2;
            }
            byte[] start = "\u001b[0m\u001b[H\u001b[2J".getBytes(StandardCharsets.UTF_8);
            byte[] cursor = ("\u001b[" + (cursorY + 1) + ';' + (cursorX + 1) + 'H').getBytes(StandardCharsets.UTF_8);
            int first = 0;
            while (first < count && start.length + total + cursor.length > limit) {
                total -= encoded[first].length;
                encoded[first++] = new byte[0];
            }
            if (start.length + total + cursor.length > limit) {
                return null;
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) (start.length + total + cursor.length));
            out.writeBytes(start);
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    out.writeBytes(new byte[] {'\r', '\n'});
                }
                out.writeBytes(encoded[i]);
            }
            out.writeBytes(cursor);
            return out.toByteArray();
        }
    }
}
