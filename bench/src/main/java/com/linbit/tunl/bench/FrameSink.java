package com.linbit.tunl.bench;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.Consumer;

import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameReader;
import com.linbit.tunl.protocol.ProtocolException;

/**
 * Decodes the relay's frames as MINA hands the bytes over, on its own I/O thread, so thousands of
 * simulated agents need no reader thread each.
 */
final class FrameSink extends OutputStream {

    private final Consumer<Frame> handler;
    private byte[] pending = new byte[8192];
    private int size;

    FrameSink(Consumer<Frame> handler) {
        this.handler = handler;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (size + length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, size + length));
        }
        System.arraycopy(bytes, offset, pending, size, length);
        size += length;
        int start = 0;
        while (size - start >= 4) {
            int frameLength = ((pending[start] & 0xff) << 24) | ((pending[start + 1] & 0xff) << 16)
                    | ((pending[start + 2] & 0xff) << 8) | (pending[start + 3] & 0xff);
            if (size - start - 4 < frameLength) {
                break;
            }
            byte[] body = Arrays.copyOfRange(pending, start + 4, start + 4 + frameLength);
            start += 4 + frameLength;
            try {
                handler.accept(FrameReader.decode(body));
            } catch (ProtocolException e) {
                throw new IllegalStateException("the relay sent a frame the protocol does not allow", e);
            }
        }
        System.arraycopy(pending, start, pending, 0, size - start);
        size -= start;
    }
}
