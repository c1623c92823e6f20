package com.linbit.tunl.relay.ssh.tunnel;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.channel.LocalWindow;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one direction of a bridged connection: data that arrived on {@code source} goes out on
 * {@code target}, one write at a time (ChannelAsyncOutputStream allows one pending write).
 *
 * <p>Back-pressure: the source's local window was consumed when its data arrived; it is released
 * only when the write to the target has completed. So at most one source window (2 MiB by default)
 * is ever queued here, and a slow target slows the sender down instead of filling the heap.
 * Nothing here blocks: offers come from the source's I/O thread, completions from the target's.
 */
final class Pump {

    private static final Logger log = LoggerFactory.getLogger(Pump.class);

    /** SSH_MSG_CHANNEL_DATA header after the 5-byte packet header: command, recipient, length. */
    private static final int DATA_HEADER = 1 + 4 + 4;

    private final String label;
    private final TunnelEnd source;
    private final TunnelEnd target;
    private final AtomicLong delivered = new AtomicLong();

    private final Object lock = new Object();
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private boolean started;
    private boolean writing;
    private boolean eofRequested;
    private boolean eofSent;
    private boolean closeRequested;
    private boolean closeDone;
    private boolean aborted;

    Pump(String label, TunnelEnd source, TunnelEnd target) {
        this.label = label;
        this.source = source;
        this.target = target;
    }

    long delivered() {
        return delivered.get();
    }

    /** Data that arrived on the source channel (its window is already consumed). Copied, queued. */
    void offer(byte[] data, int offset, int length) {
        if (length <= 0) {
            return;
        }
        Buffer buffer = packetFor(data, offset, length);
        synchronized (lock) {
            if (aborted) {
                return;
            }
            queue.add(buffer);
        }
        pump();
    }

    /** The target is open: start writing what has queued up. */
    void start() {
        synchronized (lock) {
            started = true;
        }
        pump();
    }

    /** The source sent EOF: pass it on once everything before it is written. */
    void sourceEof() {
        synchronized (lock) {
            eofRequested = true;
        }
        pump();
    }

    /** The source closed: write what is queued, then EOF and close the target. */
    void sourceClosed() {
        synchronized (lock) {
            eofRequested = true;
            closeRequested = true;
        }
        pump();
    }

    /** Stops at once and drops what is queued; the target's fate is the caller's business. */
    void abort() {
        synchronized (lock) {
            aborted = true;
            queue.clear();
        }
    }

    /**
     * The payload goes into a buffer laid out as a packet of the target's session with room for
     * the SSH_MSG_CHANNEL_DATA header, so ChannelAsyncOutputStream can fill in the header in place
     * instead of copying the data a second time (it falls back to a copy when it must split).
     */
    private Buffer packetFor(byte[] data, int offset, int length) {
        Buffer buffer = target.channel().getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_DATA,
                length + DATA_HEADER + 3);
        int payloadStart = buffer.rpos() + DATA_HEADER;
        buffer.wpos(payloadStart);
        buffer.putRawBytes(data, offset, length);
        buffer.rpos(payloadStart);
        return buffer;
    }

    private void pump() {
        for (;;) {
            Buffer next;
            boolean sendEof = false;
            boolean close = false;
            synchronized (lock) {
                if (aborted || !started || writing) {
                    return;
                }
                next = queue.poll();
                if (next == null) {
                    if (eofRequested && !eofSent) {
                        eofSent = true;
                        sendEof = true;
                    }
                    if (closeRequested && !closeDone) {
                        closeDone = true;
                        close = true;
                    }
                } else {
                    writing = true;
                }
            }
            if (next == null) {
                if (sendEof) {
                    target.sendEofToPeer();
                }
                if (close) {
                    TunnelConnection.closeGracefully(target.channel());
                }
                return;
            }
            int length = next.available();
            IoWriteFuture written;
            try {
                ChannelAsyncOutputStream out = target.output();
                if (out == null) {
                    throw new IOException("target not open");
                }
                written = out.writeBuffer(next);
            } catch (IOException | RuntimeException e) {
                failed(e);
                return;
            }
            if (!written.isDone()) {
                written.addListener(done -> {
                    if (completed(done, length)) {
                        pump();
                    }
                });
                return;
            }
            if (!completed(written, length)) {
                return;
            }
        }
    }

    /** A write finished: count it and give the sender its window back. False when it failed. */
    private boolean completed(IoWriteFuture future, int length) {
        if (!future.isWritten()) {
            failed(future.getException());
            return false;
        }
        delivered.addAndGet(length);
        synchronized (lock) {
            writing = false;
        }
        LocalWindow window = source.channel().getLocalWindow();
        try {
            if (window.isOpen()) {
                window.release(length);
            }
        } catch (IOException | RuntimeException e) {
            failed(e);
            return false;
        }
        return true;
    }

    /** The target cannot take data any more: stop, and close it; its close drains the other way. */
    private void failed(Throwable problem) {
        boolean first;
        synchronized (lock) {
            first = !aborted;
            aborted = true;
            writing = false;
            queue.clear();
        }
        if (first) {
            log.debug("{}: write to {} failed: {}", label, target.describe(),
                    problem == null ? "unknown" : problem.toString());
            TunnelConnection.closeGracefully(target.channel());
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
