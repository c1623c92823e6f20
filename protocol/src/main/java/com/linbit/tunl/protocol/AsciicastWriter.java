package com.linbit.tunl.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * Writes an asciicast v2 recording (one JSON header line, then one {@code [time, code, data]}
 * line per event), playable by {@code asciinema play}. Output bytes are decoded as a stream, so a
 * UTF-8 sequence split across two chunks is still one character; invalid bytes become U+FFFD.
 */
public final class AsciicastWriter implements Closeable {

    private final Writer out;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);

    public AsciicastWriter(Writer out, int width, int height, long timestampEpochSeconds, String title,
                           LongSupplier nanoClock) throws IOException {
        this.out = out;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        out.write("{\"version\": 2, \"width\": " + width + ", \"height\": " + height + ", \"timestamp\": "
                + timestampEpochSeconds + ", \"title\": " + quote(title) + "}\n");
        out.flush();
    }

    public synchronized void output(byte[] data) throws IOException {
        ByteBuffer input = ByteBuffer.allocate(pending.remaining() + data.length);
        input.put(pending).put(data).flip();
        CharBuffer chars = CharBuffer.allocate(input.remaining() + 1);
        decoder.decode(input, chars, false);
        pending = input.slice();
        chars.flip();
        if (chars.hasRemaining()) {
            event("o", chars.toString());
        }
    }

    public synchronized void resize(int width, int height) throws IOException {
        event("r", width + "x" + height);
    }

    /** A marker event ({@code m}): a labelled point players can jump to, e.g. where output was lost. */
    public synchronized void marker(String label) throws IOException {
        event("m", label);
    }

    /** Forces what was written to the file; the caller decides how often. */
    public synchronized void flush() throws IOException {
        out.flush();
    }

    private void event(String code, String data) throws IOException {
        double seconds = (nanoClock.getAsLong() - startNanos) / 1e9;
        out.write("[" + String.format(java.util.Locale.ROOT, "%.6f", seconds) + ", \"" + code + "\", " + quote(data) + "]\n");
    }

    @Override
    public synchronized void close() throws IOException {
        out.flush();
        out.close();
    }

    static String quote(String text) {
        StringBuilder json = new StringBuilder(text.length() + 16).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
