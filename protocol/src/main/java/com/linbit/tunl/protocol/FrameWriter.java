package com.linbit.tunl.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Encodes frames: u32 body length, then the body (type byte + payload). */
public final class FrameWriter {

    private FrameWriter() {
    }

    /** Writes one frame and flushes; callers serialise writes to one stream. */
    public static void write(OutputStream out, Frame frame) throws IOException {
        byte[] body = encode(frame);
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(body.length);
        data.write(body);
        data.flush();
    }

    public static byte[] encode(Frame frame) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeByte(frame.type().code());
        if (frame instanceof Frame.Hello hello) {
            out.writeShort(hello.version());
            text(out, hello.mode());
            text(out, hello.hostname());
            text(out, hello.agentVersion());
            if (hello.version() >= 2) {
                text(out, hello.runId());
                out.writeLong(hello.resumeFrom());
            }
        } else if (frame instanceof Frame.Output output) {
            out.write(output.data());
        } else if (frame instanceof Frame.Snapshot snapshot) {
            out.writeShort(snapshot.columns());
            out.writeShort(snapshot.rows());
            out.write(snapshot.screen());
        } else if (frame instanceof Frame.Resize resize) {
            out.writeShort(resize.columns());
            out.writeShort(resize.rows());
        } else if (frame instanceof Frame.CustomerChat chat) {
            text(out, chat.text());
        } else if (frame instanceof Frame.End end) {
            text(out, end.reason());
        } else if (frame instanceof Frame.Welcome welcome) {
            text(out, welcome.sessionId());
            text(out, welcome.caseNumber() == null ? "" : welcome.caseNumber());
            text(out, welcome.mode());
            out.writeInt(welcome.viewers());
            out.writeLong(welcome.received());
        } else if (frame instanceof Frame.Input input) {
            text(out, input.engineer());
            out.write(input.data());
        } else if (frame instanceof Frame.Chat chat) {
            text(out, chat.author());
            out.writeLong(chat.sentAtEpochMillis());
            text(out, chat.text());
        } else if (frame instanceof Frame.Status status) {
            out.writeInt(status.viewers());
        } else if (frame instanceof Frame.Notice notice) {
            text(out, notice.text());
        } else if (frame instanceof Frame.Error error) {
            text(out, error.code());
            text(out, error.message());
        } else if (frame instanceof Frame.Ended ended) {
            text(out, ended.reason());
        } else if (frame instanceof Frame.TunnelDecision decision) {
            text(out, decision.decision());
            text(out, decision.engineer());
        } else if (frame instanceof Frame.TunnelRequest request) {
            text(out, request.engineer());
            text(out, request.publicKeys());
            out.writeLong(request.expiresAtEpochSeconds());
        } else if (frame instanceof Frame.OutputGap gap) {
            out.writeLong(gap.bytes());
        } else if (frame instanceof Frame.AgentNotice notice) {
            text(out, notice.text());
        } else if (frame instanceof Frame.Ack ack) {
            out.writeLong(ack.received());
        }
        // SnapshotRequest has no payload.
        if (buffer.size() > Limits.MAX_FRAME) {
            throw new IOException("frame of " + buffer.size() + " bytes exceeds the limit of " + Limits.MAX_FRAME);
        }
        return buffer.toByteArray();
    }

    /** A text field; one the reader would refuse (over {@link Limits#MAX_TEXT_BYTES}) is refused here already. */
    private static void text(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Limits.MAX_TEXT_BYTES) {
            throw new IOException("text field of " + bytes.length + " bytes exceeds " + Limits.MAX_TEXT_BYTES);
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
