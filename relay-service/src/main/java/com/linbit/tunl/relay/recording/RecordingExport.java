package com.linbit.tunl.relay.recording;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's parts as one playable asciicast: the first part's header, then every part's events
 * on one clock (a later part starts at its own start time relative to the first), each later part
 * announced by an {@code r} event with its size. A line that is not asciicast is left out and
 * logged; the part's hash check is what tells an auditor the file changed.
 */
final class RecordingExport {

    private static final Logger log = LoggerFactory.getLogger(RecordingExport.class);

    private RecordingExport() {
    }

    static void write(List<Path> parts, Writer out) throws IOException {
        long firstTimestamp = -1;
        double lastTime = 0;
        for (Path part : parts) {
            try (AsciicastReader cast = new AsciicastReader(Files.newBufferedReader(part, StandardCharsets.UTF_8))) {
                AsciicastReader.Header header = cast.header();
                double offset;
                if (firstTimestamp < 0) {
                    firstTimestamp = header.timestamp();
                    offset = 0;
                    out.write(header.line() + "\n");
                } else {
                    offset = Math.max(lastTime, header.timestamp() - firstTimestamp);
                    out.write(new AsciicastReader.Event(offset, "r", header.width() + "x" + header.height()).toLine(offset) + "\n");
                }
                lastTime = Math.max(lastTime, copyEvents(cast, offset, out, part));
            } catch (AsciicastReader.MalformedRecordingException e) {
                log.warn("Recording {} has no readable header ({}); left out of the export", part, e.getMessage());
            }
        }
        out.flush();
    }

    private static double copyEvents(AsciicastReader cast, double offset, Writer out, Path part) throws IOException {
        double lastTime = offset;
        while (true) {
            AsciicastReader.Event event;
            try {
                event = cast.next();
            } catch (AsciicastReader.MalformedRecordingException e) {
                log.warn("Recording {}, {}; the line is left out of the export", part, e.getMessage());
                continue;
            }
            if (event == null) {
                return lastTime;
            }
            double time = offset + event.time();
            lastTime = Math.max(lastTime, time);
            out.write(event.toLine(time) + "\n");
        }
    }
}
