package com.linbit.tunl.relay.ssh.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameWriter;

/**
 * Frames on their way to one agent, written by a thread of their own so nobody who sends (viewer
 * input, chat, the agent's own reader) ever waits on the agent's SSH window.
 */
final class FrameOutbox implements Runnable {

    /** Enough for any burst of keystrokes and chat; past it the agent is not reading at all. */
    private static final int CAPACITY = 4096;
    private final BlockingQueue<Frame> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final OutputStream out;
    private final Consumer<String> onFailure;
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    private final Runnable afterDrained;
    private volatile boolean closed;
    private volatile boolean draining;

    /**
     * @param onFailure    told why, when the agent cannot be written to or stopped reading
     * @param afterDrained run once everything queued before {@link #closeAfterQueued()} is written
     */
    FrameOutbox(OutputStream out, Consumer<String> onFailure, Runnable afterDrained) {
        this.out = out;
        this.onFailure = onFailure;
        this.afterDrained = afterDrained;
    }

    void send(Frame frame) {
        if (closed || draining) {
            return;
        }
        if (!queue.offer(frame)) {
            closed = true;
            onFailure.accept("agent stopped reading (" + CAPACITY + " frames queued)");
        }
    }

    /** Sends what is queued, then stops. */
    void closeAfterQueued() {
        draining = true;
    }

    /** Waits until everything queued before {@link #closeAfterQueued()} is written, or the wait ends. */
    void awaitFlushed(java.time.Duration atMost) {
        try {
            finished.await(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                Frame frame = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (frame != null) {
                    FrameWriter.write(out, frame);
                } else if (draining) {
                    afterDrained.run();
                    return;
                }
            }
        } catch (IOException e) {
            closed = true;
            onFailure.accept("cannot write to agent: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished.countDown();
        }
    }
}
