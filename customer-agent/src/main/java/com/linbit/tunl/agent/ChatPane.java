package com.linbit.tunl.agent;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.linbit.tunl.client.SocketStreams;

/**
 * The bottom pane the customer sees: a pinned status row, the chat so far, and an input line.
 * Runs as its own small process inside the agent's tmux and talks to the agent over a Unix socket.
 */
public final class ChatPane {

    private static final String PROMPT = "> ";
    private final List<String> lines = new ArrayList<>();
    private final ByteArrayOutputStream input = new ByteArrayOutputStream();
    private final PrintStream terminal = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    private String status = "";
    private int columns = 80;
    private int rows = 10;

    /** The pane's own small process, started by tmux: this jar, this JVM, no more. */
    static List<String> command(Path chatSocket) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath;
        try {
            classpath = new File(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (Exception e) {
            classpath = System.getProperty("java.class.path");
        }
        return List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                ChatPane.class.getName(), chatSocket.toString());
    }

    public static void main(String[] args) throws Exception {
        new ChatPane().run(Path.of(args[0]));
    }

    private void run(Path socket) throws Exception {
        stty("raw", "-echo");
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            OutputStream toAgent = SocketStreams.out(channel);
            Thread reader = new Thread(() -> readAgent(channel), "chat-pane-reader");
            reader.setDaemon(true);
            reader.start();
            Thread sizer = new Thread(this::watchSize, "chat-pane-size");
            sizer.setDaemon(true);
            sizer.start();
            readKeys(toAgent);
        } finally {
            stty("sane");
        }
    }

    private void readAgent(SocketChannel channel) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(SocketStreams.in(channel),
                StandardCharsets.UTF_8))) {
            String message;
            while ((message = reader.readLine()) != null) {
                synchronized (this) {
                    if (message.startsWith("S ")) {
                        status = message.substring(2);
                    } else if (message.startsWith("L ")) {
                        lines.add(message.substring(2));
                        if (lines.size() > 500) {
                            lines.remove(0);
                        }
                    }
                    redraw();
                }
            }
        } catch (IOException e) {
            // the agent is gone; the pane goes with the tmux server
        }
    }

    private void readKeys(OutputStream toAgent) throws IOException {
        int b;
        while ((b = System.in.read()) >= 0) {
            synchronized (this) {
                if (b == '\r' || b == '\n') {
                    String text = input.toString(StandardCharsets.UTF_8);
                    input.reset();
                    if (!text.isBlank()) {
                        toAgent.write(("C " + text + "\n").getBytes(StandardCharsets.UTF_8));
                        toAgent.flush();
                    }
                } else if (b == 0x7f || b == 8) {
                    String text = input.toString(StandardCharsets.UTF_8);
                    if (!text.isEmpty()) {
                        input.reset();
                        input.writeBytes(text.substring(0, text.offsetByCodePoints(text.length(), -1))
                                .getBytes(StandardCharsets.UTF_8));
                    }
                } else if (b == 0x15) {
                    input.reset();
                } else if (b >= 0x20 && input.size() < 8000) {
                    input.write(b);
                }
                redraw();
            }
        }
    }

    private void watchSize() {
        while (true) {
            try {
                String[] size = sttyOutput("size").strip().split(" ");
                int newRows = Integer.parseInt(size[0]);
                int newColumns = Integer.parseInt(size[1]);
                synchronized (this) {
                    if (newRows != rows || newColumns != columns) {
                        rows = Math.max(3, newRows);
                        columns = Math.max(10, newColumns);
                        redraw();
                    }
                }
                Thread.sleep(500);
            } catch (Exception e) {
                return;
            }
        }
    }

    /** Status row (reverse video), as many chat lines as fit, the input line at the bottom. */
    private void redraw() {
        StringBuilder out = new StringBuilder();
        out.append("\u001b[H\u001b[2J\u001b[7m").append(fit(status)).append("\u001b[0m");
        List<String> wrapped = new ArrayList<>();
        for (String line : lines) {
            wrapped.addAll(wrap(line));
        }
        int space = rows - 2;
        List<String> visible = wrapped.subList(Math.max(0, wrapped.size() - space), wrapped.size());
        int row = 2;
        for (String line : visible) {
            out.append("\u001b[").append(row++).append(";1H").append(line);
        }
        String typed = input.toString(StandardCharsets.UTF_8);
        String shown = PROMPT + typed;
        if (shown.length() > columns - 1) {
            shown = shown.substring(shown.length() - (columns - 1));
        }
        out.append("\u001b[").append(rows).append(";1H").append(shown);
        terminal.print(out);
        terminal.flush();
    }

    private String fit(String text) {
        String cut = text.length() > columns ? text.substring(0, columns) : text;
        return cut + " ".repeat(Math.max(0, columns - cut.length()));
    }

    private List<String> wrap(String line) {
        List<String> parts = new ArrayList<>();
        String rest = line;
        while (rest.length() > columns) {
            parts.add(rest.substring(0, columns));
            rest = rest.substring(columns);
        }
        parts.add(rest);
        return parts;
    }

    private static void stty(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("stty"));
            command.addAll(List.of(args));
            new ProcessBuilder(command).redirectInput(new File("/dev/tty")).start().waitFor();
        } catch (IOException e) {
            // no terminal: nothing to set
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String sttyOutput(String arg) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("stty", arg).redirectInput(new File("/dev/tty")).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }
}
