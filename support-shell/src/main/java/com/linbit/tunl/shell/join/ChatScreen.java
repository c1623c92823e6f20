package com.linbit.tunl.shell.join;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The join chat window's state and how it is drawn: a pinned header (session, case, mode,
 * viewers, customer and relay connection), the chat so far, and an input line. Pure state and
 * text, so it is tested without a terminal; {@link #render()} repaints the whole window.
 */
final class ChatScreen {

    static final String PROMPT = "> ";
    private static final int KEEP_LINES = 1000;
    private static final int MAX_INPUT_BYTES = 8000;

    private final String sessionId;
    private final List<String> lines = new ArrayList<>();
    private final ByteArrayOutputStream input = new ByteArrayOutputStream();
    private ChatEvent.Status status = new ChatEvent.Status("", "", 0, "");
    private String relayState = "relay connected";
    private String closing;
    private boolean sessionEnded;
    private Escape escape = Escape.NONE;
    private int columns = 80;
    private int rows = 24;

    ChatScreen(String sessionId) {
        this.sessionId = sessionId;
    }

    void apply(ChatEvent event) {
        if (event instanceof ChatEvent.Status newStatus) {
            status = newStatus;
        } else if (event instanceof ChatEvent.Line line) {
            add(line.text());
        } else if (event instanceof ChatEvent.Notice notice) {
            add("[tunl] " + notice.text());
        } else if (event instanceof ChatEvent.Ended ended) {
            sessionEnded = true;
            close("[tunl] " + ended.message());
        }
    }

    void relayLost() {
        relayState = "relay connection lost";
    }

    void reconnecting(int attempt) {
        relayState = "relay reconnecting (attempt " + attempt + ")";
    }

    void relayBack() {
        relayState = "relay connected";
    }

    /** The window ends: {@code message} is the last line, and any key closes the join. */
    void close(String message) {
        if (closing == null) {
            add(message);
            closing = "press any key to close";
        }
    }

    boolean isClosing() {
        return closing != null;
    }

    void resize(int newColumns, int newRows) {
        columns = Math.max(20, newColumns);
        rows = Math.max(4, newRows);
    }

    /** Takes one typed byte; returns a line when Enter completes one worth sending. */
    Optional<String> key(int b) {
        if (escape != Escape.NONE) {
            escape = escape.next(b);
            return Optional.empty();
        }
        if (b == 0x1b) {
            escape = Escape.STARTED;
        } else if (b == '\r' || b == '\n') {
            String line = input.toString(StandardCharsets.UTF_8);
            input.reset();
            return line.isBlank() ? Optional.empty() : Optional.of(line);
        } else if (b == 0x7f || b == 8) {
            eraseLastCharacter();
        } else if (b == 0x15) { // Ctrl-U
            input.reset();
        } else if ((b >= 0x20 || b == '\t') && input.size() < MAX_INPUT_BYTES) {
            input.write(b == '\t' ? ' ' : b);
        }
        return Optional.empty();
    }

    String header() {
        List<String> parts = new ArrayList<>();
        parts.add("tunl " + sessionId);
        if (!status.caseNumber().isEmpty()) {
            parts.add("case " + status.caseNumber());
        }
        if (!status.mode().isEmpty()) {
            parts.add(status.mode());
        }
        if (sessionEnded) {
            parts.add("session ended");
            return String.join(" \u00b7 ", parts);
        }
        parts.add(status.viewers() + (status.viewers() == 1 ? " viewer" : " viewers"));
        parts.add(status.customer().isEmpty() ? "customer ?" : "customer " + status.customer());
        parts.add(relayState);
        return String.join(" \u00b7 ", parts);
    }

    /** The whole window: header in reverse video, the newest lines that fit, the input line. */
    String render() {
        StringBuilder out = new StringBuilder("\u001b[?25h\u001b[H\u001b[7m").append(pad(fit(" " + header(), columns)))
                .append("\u001b[0m");
        List<String> wrapped = new ArrayList<>();
        for (String line : lines) {
            wrapped.addAll(wrap(line, columns));
        }
        int space = rows - 2;
        List<String> visible = wrapped.subList(Math.max(0, wrapped.size() - space), wrapped.size());
        for (int row = 0; row < space; row++) {
            out.append("\u001b[").append(row + 2).append(";1H");
            if (row < visible.size()) {
                out.append(visible.get(row));
            }
            out.append("\u001b[K");
        }
        out.append("\u001b[").append(rows).append(";1H").append(inputLine()).append("\u001b[K");
        return out.toString();
    }

    private String inputLine() {
        if (closing != null) {
            return closing;
        }
        String shown = PROMPT + input.toString(StandardCharsets.UTF_8);
        int length = shown.codePointCount(0, shown.length());
        int room = columns - 1;
        return length <= room ? shown : shown.substring(shown.offsetByCodePoints(0, length - room));
    }

    private void add(String line) {
        lines.add(line);
        if (lines.size() > KEEP_LINES) {
            lines.remove(0);
        }
    }

    private void eraseLastCharacter() {
        String text = input.toString(StandardCharsets.UTF_8);
        if (!text.isEmpty()) {
            input.reset();
            input.writeBytes(text.substring(0, text.offsetByCodePoints(text.length(), -1)).getBytes(StandardCharsets.UTF_8));
        }
    }

    private String pad(String text) {
        return text + " ".repeat(Math.max(0, columns - text.codePointCount(0, text.length())));
    }

    static String fit(String text, int width) {
        int length = text.codePointCount(0, text.length());
        return length <= width ? text : text.substring(0, text.offsetByCodePoints(0, width));
    }

    static List<String> wrap(String line, int width) {
        List<String> parts = new ArrayList<>();
        String rest = line;
        while (rest.codePointCount(0, rest.length()) > width) {
            int cut = rest.offsetByCodePoints(0, width);
            parts.add(rest.substring(0, cut));
            rest = rest.substring(cut);
        }
        parts.add(rest);
        return parts;
    }

    /** Arrow and function keys arrive as escape sequences; the input line ignores them whole. */
    private enum Escape {
        NONE, STARTED, SEQUENCE;

        Escape next(int b) {
            if (this == STARTED) {
                return b == '[' || b == 'O' ? SEQUENCE : NONE;
            }
            return b >= 0x40 && b <= 0x7e ? NONE : SEQUENCE;
        }
    }
}
