package com.linbit.tunl.relay.recording;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an asciicast v2 recording strictly, one event at a time: a header object of version 2 with
 * a positive size, then {@code [time, code, data]} lines with a non-negative time and string code
 * and data. A line that is not that is reported with its number, so one bad line is found, not
 * guessed around.
 */
final class AsciicastReader implements Closeable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BufferedReader lines;
    private final Header header;
    private int lineNumber = 1;

    AsciicastReader(Reader in) throws IOException {
        this.lines = in instanceof BufferedReader buffered ? buffered : new BufferedReader(in);
        String first = lines.readLine();
        if (first == null) {
            throw new MalformedRecordingException(1, "the file is empty; an asciicast starts with its header");
        }
        this.header = header(first);
    }

    Header header() {
        return header;
    }

    /** The next event, or null at the end. */
    Event next() throws IOException {
        String line;
        do {
            line = lines.readLine();
            lineNumber++;
            if (line == null) {
                return null;
            }
        } while (line.isBlank());
        return event(line, lineNumber);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    private static Header header(String line) throws MalformedRecordingException {
        JsonNode header = parse(line, 1);
        if (!header.isObject()) {
            throw new MalformedRecordingException(1, "the header is not a JSON object");
        }
        if (header.path("version").asInt(0) != 2) {
            throw new MalformedRecordingException(1, "not asciicast version 2");
        }
        int width = header.path("width").asInt(0);
        int height = header.path("height").asInt(0);
        if (width <= 0 || height <= 0) {
            throw new MalformedRecordingException(1, "the header has no positive width and height");
        }
        return new Header(line, width, height, header.path("timestamp").asLong(0), header.path("title").asString(""));
    }

    private static Event event(String line, int number) throws MalformedRecordingException {
        JsonNode event = parse(line, number);
        if (!event.isArray() || event.size() != 3 || !event.get(0).isNumber() || !event.get(1).isString()
                || !event.get(2).isString()) {
            throw new MalformedRecordingException(number, "an event is [time, code, data]");
        }
        double time = event.get(0).asDouble();
        if (time < 0 || Double.isNaN(time)) {
            throw new MalformedRecordingException(number, "an event's time must not be negative");
        }
        return new Event(time, event.get(1).asString(), event.get(2).asString());
    }

    private static JsonNode parse(String line, int number) throws MalformedRecordingException {
        try {
            return JSON.readTree(line);
        } catch (JacksonException e) {
            throw new MalformedRecordingException(number, "not JSON: " + e.getOriginalMessage());
        }
    }

    /** The header line as written, and the fields playback needs. */
    record Header(String line, int width, int height, long timestamp, String title) {
    }

    /** One event: seconds since the start, {@code o} output or {@code r} resize, and its data. */
    record Event(double time, String code, String data) {

        String toLine(double atTime) {
            return JSON.writeValueAsString(new Object[] {round(atTime), code, data});
        }

        private static double round(double seconds) {
            return Math.round(seconds * 1e6) / 1e6;
        }
    }

    /** A line that is not asciicast v2. */
    static final class MalformedRecordingException extends IOException {

        private final int line;

        MalformedRecordingException(int line, String problem) {
            super("line " + line + ": " + problem);
            this.line = line;
        }

        int line() {
            return line;
        }
    }
}
