package com.linbit.tunl.protocol;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Decodes frames, refusing anything docs/protocol.md does not allow. */
public final class FrameReader {

    private static final int PIECE = 64 * 1024;

    private final DataInputStream in;

    public FrameReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** The next frame, or {@code null} at a clean end of stream between frames. */
    public Frame read() throws IOException, ProtocolException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        if (length < 1 || length > Limits.MAX_FRAME) {
            throw new ProtocolException("frame length " + Integer.toUnsignedString(length)
                    + " is outside 1.." + Limits.MAX_FRAME);
        }
        return decode(readBody(length));
    }

    /** Reads the body in pieces, so a header promising a large frame costs nothing until it comes. */
    private byte[] readBody(int length) throws IOException, ProtocolException {
        try {
            if (length <= PIECE) {
                byte[] body = new byte[length];
                in.readFully(body);
                return body;
            }
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(PIECE);
            byte[] piece = new byte[PIECE];
            int remaining = length;
            while (remaining > 0) {
                int size = Math.min(PIECE, remaining);
                in.readFully(piece, 0, size);
                body.write(piece, 0, size);
                remaining -= size;
            }
            return body.toByteArray();
        } catch (EOFException e) {
            throw new ProtocolException("stream ended inside a frame");
        }
    }

    public static Frame decode(byte[] body) throws ProtocolException {
        Fields fields = new Fields(body);
        FrameType type = FrameType.of(fields.u8());
        Frame frame = switch (type) {
            case HELLO -> hello(fields);
            case OUTPUT -> new Frame.Output(fields.rest());
            case SNAPSHOT -> new Frame.Snapshot(fields.u16(), fields.u16(), fields.rest());
            case RESIZE -> new Frame.Resize(fields.u16(), fields.u16());
            case CUSTOMER_CHAT -> new Frame.CustomerChat(fields.text());
            case END -> new Frame.End(fields.text());
            case WELCOME -> new Frame.Welcome(fields.text(), fields.text(), fields.text(), fields.u32(), fields.u64());
            case INPUT -> new Frame.Input(fields.text(), fields.rest());
            case CHAT -> new Frame.Chat(fields.text(), fields.u64(), fields.text());
            case STATUS -> new Frame.Status(fields.u32());
            case NOTICE -> new Frame.Notice(fields.text());
            case SNAPSHOT_REQUEST -> new Frame.SnapshotRequest();
            case ERROR -> new Frame.Error(fields.text(), fields.text());
            case ENDED -> new Frame.Ended(fields.text());
            case TUNNEL_DECISION -> new Frame.TunnelDecision(fields.text(), fields.text());
            case TUNNEL_REQUEST -> new Frame.TunnelRequest(fields.text(), fields.text(), fields.u64());
            case OUTPUT_GAP -> new Frame.OutputGap(fields.u64());
            case AGENT_NOTICE -> new Frame.AgentNotice(fields.text());
            case ACK -> new Frame.Ack(fields.u64());
        };
        fields.expectEnd(type);
        return frame;
    }

    /**
     * A version 1 HELLO lacks the resume fields; it is still read, so the relay can tell that
     * agent which version it needs instead of failing on the frame.
     */
    private static Frame.Hello hello(Fields fields) throws ProtocolException {
        int version = fields.u16();
        String mode = fields.text();
        String hostname = fields.text();
        String agentVersion = fields.text();
        if (version < 2) {
            return new Frame.Hello(version, mode, hostname, agentVersion, "", 1);
        }
        return new Frame.Hello(version, mode, hostname, agentVersion, fields.text(), fields.u64());
    }

    private static final class Fields {
        private final ByteBuffer buffer;

        Fields(byte[] body) {
            this.buffer = ByteBuffer.wrap(body);
        }

        int u8() throws ProtocolException {
            need(1);
            return buffer.get() & 0xff;
        }

        int u16() throws ProtocolException {
            need(2);
            return buffer.getShort() & 0xffff;
        }

        int u32() throws ProtocolException {
            need(4);
            int value = buffer.getInt();
            if (value < 0) {
                throw new ProtocolException("number out of range");
            }
            return value;
        }

        long u64() throws ProtocolException {
            need(8);
            return buffer.getLong();
        }

        String text() throws ProtocolException {
            int length = u32();
            if (length > Limits.MAX_TEXT_BYTES) {
                throw new ProtocolException("text field of " + length + " bytes exceeds " + Limits.MAX_TEXT_BYTES);
            }
            need(length);
            ByteBuffer slice = buffer.slice();
            slice.limit(length);
            buffer.position(buffer.position() + length);
            try {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(slice);
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new ProtocolException("text field is not valid UTF-8");
            }
        }

        byte[] rest() {
            byte[] rest = new byte[buffer.remaining()];
            buffer.get(rest);
            return rest;
        }

        void expectEnd(FrameType type) throws ProtocolException {
            if (buffer.hasRemaining()) {
                throw new ProtocolException(buffer.remaining() + " unexpected bytes after a " + type + " frame");
            }
        }

        private void need(int bytes) throws ProtocolException {
            if (buffer.remaining() < bytes) {
                throw new ProtocolException("frame is too short for its fields");
            }
        }
    }
}
