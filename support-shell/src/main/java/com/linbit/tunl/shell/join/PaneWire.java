package com.linbit.tunl.shell.join;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a window's pane process sends the console: keystrokes and its size, each as
 * {@code type(1) length(2) payload}. The console sends back plain terminal bytes.
 */
final class PaneWire {

    static final int KEYS = 1;
    static final int SIZE = 2;
    static final int MAX_PAYLOAD = 4096;

    private PaneWire() {
    }

    static void keys(OutputStream out, byte[] keys, int length) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        for (int offset = 0; offset < length; offset += MAX_PAYLOAD) {
            int chunk = Math.min(MAX_PAYLOAD, length - offset);
            data.writeByte(KEYS);
            data.writeShort(chunk);
            data.write(keys, offset, chunk);
        }
        data.flush();
    }

    static void size(OutputStream out, int columns, int rows) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeByte(SIZE);
        data.writeShort(4);
        data.writeShort(columns);
        data.writeShort(rows);
        data.flush();
    }

    /** One message from a pane; {@code null} at the end of the stream. */
    static Message read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int type = data.read();
        if (type < 0) {
            return null;
        }
        int length;
        byte[] payload;
        try {
            length = data.readUnsignedShort();
            if (length > MAX_PAYLOAD) {
                throw new IOException("pane message of " + length + " bytes; at most " + MAX_PAYLOAD);
            }
            payload = data.readNBytes(length);
        } catch (EOFException e) {
            return null;
        }
        if (payload.length < length) {
            return null;
        }
        if (type == SIZE && length == 4) {
            int columns = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            int rows = ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
            return new Message(null, columns, rows);
        }
        if (type == KEYS) {
            return new Message(payload, 0, 0);
        }
        throw new IOException("unknown pane message type " + type);
    }

    /** Keystrokes, or a size (when {@code keys} is null). */
    record Message(byte[] keys, int columns, int rows) {
    }
}
