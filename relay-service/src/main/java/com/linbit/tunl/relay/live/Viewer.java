package com.linbit.tunl.relay.live;

import java.util.ArrayDeque;
import java.util.Deque;

import com.linbit.tunl.relay.chat.ChatLine;

/**
 * An engineer attached to a live session. Terminal output is queued here, bounded, and written by
 * the viewer's own thread ({@link #takeBlocking(int)}), so a slow or stalled viewer never holds up the
 * customer or anyone else: when its queue overflows it is emptied and the viewer waits for a fresh
 * snapshot instead.
 */
public abstract class Viewer {

    private final String engineer;
    private final boolean watchesTerminal;
    private final long maxQueuedBytes;
    private final Deque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean awaitingSnapshot = true;
    private boolean closed;

    protected Viewer(String engineer, boolean watchesTerminal, long maxQueuedBytes) {
        this.engineer = engineer;
        this.watchesTerminal = watchesTerminal;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    public String engineer() {
        return engineer;
    }

    public boolean watchesTerminal() {
        return watchesTerminal;
    }

    /**
     * Queues live output. Returns false when the viewer fell too far behind: its queue is dropped
     * and it needs a snapshot before more output makes sense.
     */
    synchronized boolean offerOutput(byte[] data) {
        if (closed || awaitingSnapshot) {
            return true;
        }
        if (queuedBytes + data.length > maxQueuedBytes) {
            queue.clear();
            queuedBytes = 0;
            awaitingSnapshot = true;
            return false;
        }
        enqueue(data);
        return true;
    }

    /**
     * A full repaint; live output follows from here. What is queued stays: while a viewer waits for
     * a snapshot no output is queued (an overflow empties the queue), only the relay's own lines,
     * such as the greeting, which must not be lost to a fast snapshot.
     */
    synchronized void offerSnapshot(byte[] repaint) {
        if (closed) {
            return;
        }
        awaitingSnapshot = false;
        enqueue(repaint);
    }

    /**
     * Text the relay itself shows this viewer (notices, chat), queued in order with the output;
     * dropped when the viewer is already that far behind, so a viewer that stopped reading costs
     * no more than its bound.
     */
    protected synchronized void offerText(byte[] text) {
        if (!closed && queuedBytes + text.length <= maxQueuedBytes) {
            enqueue(text);
        }
    }

    /** From now on this viewer waits for a fresh snapshot; output until then is pointless. */
    synchronized void awaitSnapshot() {
        awaitingSnapshot = true;
    }

    synchronized boolean isAwaitingSnapshot() {
        return awaitingSnapshot;
    }

    private void enqueue(byte[] data) {
        queue.addLast(data);
        queuedBytes += data.length;
        notifyAll();
    }

    /**
     * Everything queued, up to {@code maxBytes} (more if a single chunk is larger), waiting for
     * something; {@code null} once the viewer is closed and drained. Taking it all at once means
     * one write per burst instead of one per chunk.
     */
    public synchronized byte[] takeBlocking(int maxBytes) throws InterruptedException {
        while (queue.isEmpty() && !closed) {
            wait();
        }
        if (queue.isEmpty()) {
            return null;
        }
        byte[] first = queue.pollFirst();
        if (queue.isEmpty() || first.length >= maxBytes) {
            queuedBytes -= first.length;
            return first;
        }
        java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream(Math.min(maxBytes, (int) queuedBytes));
        batch.writeBytes(first);
        while (!queue.isEmpty() && batch.size() + queue.peekFirst().length <= maxBytes) {
            batch.writeBytes(queue.pollFirst());
        }
        queuedBytes -= batch.size();
        return batch.toByteArray();
    }

    /** Stops accepting output; what is queued is still handed out. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** A chat line, from anyone, in this session. */
    public abstract void chat(ChatLine line);

    /** A relay notice, e.g. "customer reconnecting". */
    public abstract void notice(String text);

    /** The session is over; the viewer shows {@code message} and leaves. */
    public abstract void ended(String message);

    /**
     * Who is there changed: the customer connected or dropped, an engineer started or stopped
     * watching. Viewers that show a status line re-read it from the session.
     */
    public void presenceChanged() {
    }
}
