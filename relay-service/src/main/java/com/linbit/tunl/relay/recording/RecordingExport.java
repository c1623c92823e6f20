package com.linbit.tunl.relay.recording;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A session's parts as one playable asciicast: the first part's header, then every part's events
 * on one clock (a later part starts at its own start time relative to the first), each later part
 * announced by an {@code r} event with its size.
 */
final class RecordingExport {

    private static final Pattern NUMBER_FIELD = Pattern.compile("\"(width|height|timestamp)\":\\s*(\\d+)");
    private static final Pattern EVENT_TIME = Pattern.compile("^\\[\\s*([0-9.]+)\\s*,(.*)$", Pattern.DOTALL);

    private RecordingExport() {
    }

    static void write(List<Path> parts, Writer out) throws IOException {
        long firstTimestamp = -1;
        double lastTime = 0;
        for (Path part : parts) {
            try (BufferedReader lines = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
                String header = lines.readLine();
                if (header == null) {
                    continue;
                }
                long timestamp = field(header, "timestamp");
                double offset;
                if (firstTimestamp < 0) {
                    firstTimestamp = timestamp;
                    offset = 0;
                    out.write(header + "\n");
                } else {
                    offset = Math.max(lastTime, timestamp - firstTimestamp);
                    out.write("[" + String.format(Locale.ROOT, "%.6f", offset) + ", \"r\", \""
                            + field(header, "width") + "x" + field(header, "height") + "\"]\n");
                }
                String line;
                while ((line = lines.readLine()) != null) {
                    Matcher event = EVENT_TIME.matcher(line);
                    if (!event.matches()) {
                        continue;
                    }
                    double time = offset + Double.parseDouble(event.group(1));
                    lastTime = Math.max(lastTime, time);
                    out.write("[" + String.format(Locale.ROOT, "%.6f", time) + "," + event.group(2) + "\n");
                }
            }
        }
        out.flush();
    }

    private static long field(String header, String name) {
        Matcher fields = NUMBER_FIELD.matcher(header);
        while (fields.find()) {
            if (fields.group(1).equals(name)) {
                return Long.parseLong(fields.group(2));
            }
        }
        return 0;
    }
}
