package com.linbit.tunl.agent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

import com.linbit.tunl.protocol.Frame;

/**
 * The frames on their way to the relay, numbered, kept until the relay acknowledges them: a lost
 * connection loses nothing the relay did not confirm, and a reconnect resends from where it left
 * off. Everything held counts against one budget; when output would exceed it (a long outage),
 * the oldest output gives way, each piece replaced by a small gap frame under the same number, so
 * the recording can say how much is missing and where. Chat, decisions and the end are never
 * dropped.
 */
final class SendQueue<L> {

    /** What a held frame costs beyond its payload (object, queue slot). */
    private static final int OVERHEAD = 64;

    private static final class Entry {
        final long sequence;
        Frame frame;
        int size;
        boolean acknowledged;

        Entry(long sequence, Frame frame, int size) {
            this.sequence = sequence;
            this.frame = frame;
            this.size = size;
        }
    }

    private final long budget;
    private final Deque<Entry> unsent = new ArrayDeque<>();
    private final Deque<Entry> unacknowledged = new ArrayDeque<>();
    private final Deque<Entry> droppable = new ArrayDeque<>();
    private long nextSequence = 1;
    private long held;
    private long droppedBytes;
    private L link;
    private boolean closed;

    /** A frame to write, and the connection it was taken for: it must go there or nowhere. */
    record Taken<L>(Frame frame, L link) {
    }

    SendQueue(long budget) {
        this.budget = budget;
    }

    /** Queues {@code frame}; never waits. */
    synchronized void add(Frame frame) {
        if (closed) {
            return;
        }
        int size = sizeOf(frame);
        if (frame instanceof Frame.Output) {
            makeRoom(size);
        }
        Entry entry = new Entry(nextSequence++, frame, size);
        unsent.addLast(entry);
        if (frame instanceof Frame.Output) {
            droppable.addLast(entry);
        }
        held += size;
        notifyAll();
    }

    /**
     * The next frame to write, once a connection is open and something is waiting, with that
     * connection; the frame then counts as sent but unacknowledged. If the connection is replaced
     * meanwhile, {@link #resume} sends it again on the new one, so it is written to the connection
     * it was taken for only. Null when the queue is closed.
     */
    synchronized Taken<L> takeForSending() throws InterruptedException {
        while (!closed && (link == null || unsent.isEmpty())) {
            wait();
        }
        if (closed) {
            return null;
        }
        Entry entry = unsent.pollFirst();
        unacknowledged.addLast(entry);
        return new Taken<>(entry.frame, link);
    }

    /** The connection is gone: hold everything until {@link #resume}. */
    synchronized void pause() {
        link = null;
    }

    /**
     * A (re)connected relay, reached over {@code connection}, has handled every frame up to
     * {@code received}: the rest is sent again, in order, on that connection.
     */
    synchronized void resume(long received, L connection) {
        acknowledge(received);
        while (!unacknowledged.isEmpty()) {
            unsent.addFirst(unacknowledged.pollLast());
        }
        while (!unsent.isEmpty() && unsent.peekFirst().sequence <= received) {
            forget(unsent.pollFirst());
        }
        link = connection;
        notifyAll();
    }

    synchronized void acknowledge(long received) {
        while (!unacknowledged.isEmpty() && unacknowledged.peekFirst().sequence <= received) {
            forget(unacknowledged.pollFirst());
        }
        while (!droppable.isEmpty() && droppable.peekFirst().acknowledged) {
            droppable.pollFirst();
        }
    }

    /** The oldest frame still held, which a reconnect resends from; the next number when nothing is. */
    synchronized long oldestHeld() {
        Entry oldest = !unacknowledged.isEmpty() ? unacknowledged.peekFirst() : unsent.peekFirst();
        return oldest == null ? nextSequence : oldest.sequence;
    }

    synchronized long droppedBytes() {
        return droppedBytes;
    }

    synchronized long heldBytes() {
        return held;
    }

    /** Wakes the sender for good. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void forget(Entry entry) {
        entry.acknowledged = true;
        entry.frame = null;
        held -= entry.size;
    }

    private void makeRoom(int needed) {
        Iterator<Entry> oldest = droppable.iterator();
        while (held + needed > budget && oldest.hasNext()) {
            Entry entry = oldest.next();
            oldest.remove();
            if (entry.acknowledged || !(entry.frame instanceof Frame.Output output)) {
                continue;
            }
            droppedBytes += output.data().length;
            held -= entry.size;
            entry.frame = new Frame.OutputGap(output.data().length);
            entry.size = OVERHEAD;
            held += entry.size;
        }
    }

    private static int sizeOf(Frame frame) {
        if (frame instanceof Frame.Output output) {
            return output.data().length + OVERHEAD;
        }
        if (frame instanceof Frame.Snapshot snapshot) {
            return snapshot.screen().length + OVERHEAD;
        }
        if (frame instanceof Frame.CustomerChat chat) {
            return chat.text().length() * 3 + OVERHEAD;
        }
        return OVERHEAD;
    }
}
