package com.linbit.tunl.shell.join;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/** One line of the relay's {@code chat <id> --events} stream (see docs/protocol.md). */
sealed interface ChatEvent {

    DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    /** The session as it is now; empty strings for what is not known yet. */
    record Status(String caseNumber, String mode, int viewers, String customer) implements ChatEvent {
    }

    /** A chat line, already formatted for display. */
    record Line(String text) implements ChatEvent {
    }

    record Notice(String text) implements ChatEvent {
    }

    record Ended(String message) implements ChatEvent {
    }

    /** An event; {@code null} for kinds this console does not know (newer relays may add some). */
    static ChatEvent parse(String line) {
        String[] fields = line.split("\t", -1);
        switch (fields[0]) {
            case "status":
                Map<String, String> values = new HashMap<>();
                for (int i = 1; i < fields.length; i++) {
                    int equals = fields[i].indexOf('=');
                    if (equals > 0) {
                        values.put(fields[i].substring(0, equals), fields[i].substring(equals + 1));
                    }
                }
                return new Status(values.getOrDefault("case", ""), values.getOrDefault("mode", ""),
                        parseCount(values.get("viewers")), values.getOrDefault("customer", ""));
            case "chat":
                if (fields.length < 4) {
                    return null;
                }
                return new Line("[" + time(fields[1]) + "] " + fields[2] + ": " + fields[3]);
            case "notice":
                return fields.length < 2 ? null : new Notice(fields[1]);
            case "ended":
                return new Ended(fields.length < 2 ? "the session ended" : fields[1]);
            default:
                return null;
        }
    }

    private static int parseCount(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String time(String instant) {
        try {
            return TIME.format(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return "--:--";
        }
    }
}
