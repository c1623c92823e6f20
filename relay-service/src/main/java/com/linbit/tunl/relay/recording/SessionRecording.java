package com.linbit.tunl.relay.recording;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.linbit.tunl.protocol.AsciicastWriter;

/**
 * One part of a session's recording, an asciicast v2 file. The agent's stream only queues events
 * (with the time they happened); the shared {@link RecordingWriters} write them, one drain at a
 * time per recording, and flush at least every {@code flushInterval}, so a slow disk never holds
 * up the customer or the viewers. A
 * backlog past its bound, or any write error, is a failure: reported once, nothing more written,
 * and what was written is still closed and kept.
 */
public final class SessionRecording implements AutoCloseable {

    /** Larger outputs become several events; nothing is cut. */
    static final int MAX_EVENT_BYTES = 64 * 1024;

    private final Path file;
    private final long maxBacklog;
    private final Duration flushInterval;
    private final Consumer<String> onFailure;
    private final Consumer<SessionRecording> onClosed;
    private final Queue<Event> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong backlog = new AtomicLong();
    private final RecordingWriters writers;
    private final AsciicastWriter cast;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean flushPending = new AtomicBoolean();
    private volatile boolean failed;
    private volatile boolean closed;
    /** Set once by the drain that closed the file; later drains have nothing to do. */
    private boolean finished;
    private boolean unflushed;
    private long eventNanos;

    private sealed interface Event {
    }

    private record Output(byte[] data, long nanos) implements Event {
    }

    private record Resize(int columns, int rows, long nanos) implements Event {
    }

    private record Marker(String label, long nanos) implements Event {
    }

    private record Close() implements Event {
    }

    private record Flush() implements Event {
    }

    SessionRecording(Path file, int columns, int rows, long timestamp, String title, long maxBacklog,
                     Duration flushInterval, RecordingWriters writers, Consumer<String> onFailure,
                     Consumer<SessionRecording> onClosed) throws IOException {
        this.file = file;
        this.maxBacklog = maxBacklog;
        this.flushInterval = flushInterval;
        this.onFailure = onFailure;
        this.onClosed = onClosed;
        this.eventNanos = System.nanoTime();
        Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.cast = new AsciicastWriter(out, columns, rows, timestamp, title, () -> eventNanos);
        this.writers = writers;
    }

    public Path file() {
        return file;
    }

    public void output(byte[] data) {
        long now = System.nanoTime();
        for (int offset = 0; offset < data.length; offset += MAX_EVENT_BYTES) {
            int length = Math.min(MAX_EVENT_BYTES, data.length - offset);
            byte[] chunk = offset == 0 && length == data.length ? data : java.util.Arrays.copyOfRange(data, offset, offset + length);
            enqueue(new Output(chunk, now), length);
        }
    }

    public void resize(int columns, int rows) {
        enqueue(new Resize(columns, rows, System.nanoTime()), 16);
    }

    public void marker(String label) {
        enqueue(new Marker(label, System.nanoTime()), label.length());
    }

    private void enqueue(Event event, int size) {
        if (failed || closed) {
            return;
        }
        if (backlog.addAndGet(size) > maxBacklog) {
            fail("the disk did not keep up: over " + maxBacklog + " bytes waited to be written");
            return;
        }
        queue.add(event);
        drainLater();
    }

    private void drainLater() {
        if (draining.compareAndSet(false, true)) {
            writers.execute(this::drain);
        }
    }

    /** Writes what is queued, closes the file, then reports the part as closed (hash, database). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(new Close());
        drainLater();
    }

    /** Whether writing failed; the file then ends where the failure left it. */
    public boolean failed() {
        return failed;
    }

    /** Writes what is queued; only one drain of a recording runs at a time. */
    private void drain() {
        try {
            if (!finished) {
                writeQueued();
            }
        } finally {
            draining.set(false);
        }
        if (!finished && !queue.isEmpty()) {
            drainLater();
        }
    }

    private void writeQueued() {
        try {
            Event event;
            while ((event = queue.poll()) != null) {
                if (event instanceof Close) {
                    finished = true;
                    cast.close();
                    onClosed.accept(this);
                    return;
                }
                write(event);
            }
            if (unflushed && flushPending.compareAndSet(false, true)) {
                writers.later(() -> {
                    queue.add(new Flush());
                    drainLater();
                }, flushInterval.toMillis());
            }
        } catch (IOException e) {
            finished = true;
            closeQuietly(cast);
            fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            onClosed.accept(this);
        }
    }

    private void write(Event event) throws IOException {
        if (event instanceof Flush) {
            flushPending.set(false);
            cast.flush();
            unflushed = false;
            return;
        }
        unflushed = true;
        if (event instanceof Output output) {
            eventNanos = output.nanos();
            cast.output(output.data());
            backlog.addAndGet(-output.data().length);
        } else if (event instanceof Marker marker) {
            eventNanos = marker.nanos();
            cast.marker(marker.label());
            backlog.addAndGet(-marker.label().length());
        } else if (event instanceof Resize resize) {
            eventNanos = resize.nanos();
            cast.resize(resize.columns(), resize.rows());
            backlog.addAndGet(-16);
        }
    }

    private static void closeQuietly(AsciicastWriter cast) {
        try {
            cast.close();
        } catch (IOException ignored) {
            // The write that failed already said why; a full disk also refuses the final flush.
        }
    }

    private void fail(String reason) {
        synchronized (this) {
            if (failed) {
                return;
            }
            failed = true;
        }
        queue.clear();
        queue.add(new Close());
        drainLater();
        onFailure.accept("cannot write " + file.getFileName() + ": " + reason);
    }
}
