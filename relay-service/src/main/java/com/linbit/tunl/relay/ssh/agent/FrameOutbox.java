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
    private static final Frame CLOSE = new Frame.Notice("");

    private final BlockingQueue<Frame> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final OutputStream out;
    private final Consumer<String> onFailure;
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;

    FrameOutbox(OutputStream out, Consumer<String> onFailure) {
        this.out = out;
        this.onFailure = onFailure;
    }

    void send(Frame frame) {
        if (closed) {
            return;
        }
        if (!queue.offer(frame)) {
            closed = true;
            onFailure.accept("agent stopped reading (" + CAPACITY + " frames queued)");
        }
    }

    /** Sends what is queued, then stops. */
    void closeAfterQueued() {
        if (!closed) {
            closed = true;
            queue.offer(CLOSE);
        }
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
            while (true) {
                Frame frame = queue.take();
                if (frame == CLOSE) {
                    return;
                }
                FrameWriter.write(out, frame);
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
