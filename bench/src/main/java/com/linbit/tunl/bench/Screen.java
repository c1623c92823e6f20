package com.linbit.tunl.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What an engineer's terminal receives: counted, not kept (a 100 MB stream costs nothing), the
 * last bytes kept for matching a marker, and the arrival of one awaited key timed. Fed by a stock
 * {@code ssh} process's output or directly by a MINA channel.
 */
final class Screen extends OutputStream {

    private static final int TAIL = 4096;

    private final byte[] tail = new byte[TAIL];
    private long received;
    private int awaited = -1;
    private long arrivedAt;
    private boolean closed;

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] buffer, int offset, int length) {
        long now = System.nanoTime();
        if (awaited >= 0) {
            for (int i = offset; i < offset + length; i++) {
                if ((buffer[i] & 0xff) == awaited) {
                    awaited = -1;
                    arrivedAt = now;
                    break;
                }
            }
        }
        int keep = Math.min(length, TAIL);
        System.arraycopy(tail, keep, tail, 0, TAIL - keep);
        System.arraycopy(buffer, offset + length - keep, tail, TAIL - keep, keep);
        received += length;
        notifyAll();
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized long received() {
        return received;
    }

    /** Waits until {@code text} is among the last bytes received. */
    synchronized boolean awaitText(String text, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!new String(tail, StandardCharsets.ISO_8859_1).contains(text)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || closed) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Waits until at least {@code bytes} have been received in all. */
    synchronized boolean awaitReceived(long bytes, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (received < bytes) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || closed) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Types {@code key} on {@code keyboard}; nanoseconds until it comes back, or -1 on timeout. */
    long typeAndTime(OutputStream keyboard, byte key, long timeoutMillis) throws IOException, InterruptedException {
        synchronized (this) {
            awaited = key & 0xff;
            arrivedAt = 0;
        }
        long sent = System.nanoTime();
        keyboard.write(key);
        keyboard.flush();
        synchronized (this) {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (arrivedAt == 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    awaited = -1;
                    return -1;
                }
                wait(left);
            }
            return arrivedAt - sent;
        }
    }
}
