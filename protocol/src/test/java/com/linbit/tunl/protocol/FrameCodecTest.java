package com.linbit.tunl.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameCodecTest {

    @Test
    void everyFrameRoundTrips() throws Exception {
        List<Frame> frames = List.of(
                new Frame.Hello(2, "share", "db-01", "0.1.0", "run-7f3a", 42),
                new Frame.Output("hello\r\n\u001b[1mbold".getBytes(StandardCharsets.UTF_8)),
                new Frame.Snapshot(80, 24, "screen".getBytes(StandardCharsets.UTF_8)),
                new Frame.Resize(120, 40),
                new Frame.CustomerChat("hi – ümlaut ✓"),
                new Frame.End("customer"),
                new Frame.Welcome("swift-fox-jumps-barrel", "4711", "share", 2, 41),
                new Frame.Input("alice", new byte[] {3, 'l', 's', '\r'}),
                new Frame.Chat("alice", 1_700_000_000_000L, "run dmesg"),
                new Frame.Status(3),
                new Frame.Notice("alice joined"),
                new Frame.SnapshotRequest(),
                new Frame.Error("session-unavailable", "session not found"),
                new Frame.Ended("closed by admin"),
                new Frame.TunnelDecision("granted", "alice"),
                new Frame.TunnelRequest("alice", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA alice@laptop", 1_800_000_000L),
                new Frame.OutputGap(9_000_000L),
                new Frame.AgentNotice("tmux send-keys failed: no server running"),
                new Frame.Ack(1_234_567L));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            FrameWriter.write(out, frame);
        }
        FrameReader reader = new FrameReader(new ByteArrayInputStream(out.toByteArray()));
        for (Frame frame : frames) {
            assertThat(reader.read()).isEqualTo(frame);
        }
        assertThat(reader.read()).isNull();
    }

    @Test
    void aVersionOneHelloIsStillReadSoTheAgentCanBeToldToUpgrade() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter.write(out, new Frame.Hello(1, "share", "db-01", "0.0.9", "ignored", 7));
        assertThat(read(out.toByteArray())).isEqualTo(new Frame.Hello(1, "share", "db-01", "0.0.9", "", 1));
    }

    @Test
    void malformedFramesAreRefusedWithAReason() {
        assertThatThrownBy(() -> read(new byte[] {0, 0, 0, 0})).hasMessageContaining("outside 1..");
        assertThatThrownBy(() -> read(new byte[] {0x7f, 0, 0, 0, 1})).hasMessageContaining("outside 1..");
        assertThatThrownBy(() -> read(new byte[] {0, 0, 0, 1, 0x42})).hasMessage("unknown frame type 0x42");
        assertThatThrownBy(() -> read(new byte[] {0, 0, 0, 3, 0x04, 0, 80})).hasMessage("frame is too short for its fields");
        assertThatThrownBy(() -> read(new byte[] {0, 0, 0, 6, 0x04, 0, 80, 0, 24, 9})).hasMessage("1 unexpected bytes after a RESIZE frame");
        assertThatThrownBy(() -> read(new byte[] {0, 0, 0, 7, 0x05, 0, 0, 0, 2, (byte) 0xc3, 0x28})).hasMessage("text field is not valid UTF-8");
        assertThatThrownBy(() -> read(new byte[] {0, 0, 0, 9, 0x01})).hasMessage("stream ended inside a frame");
    }

    @Test
    void aFrameOfAnUnknownTypeIsReadWholeSoTheNextOneCanBeRead() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 0, 4, 0x7e, 1, 2, 3});
        FrameWriter.write(out, new Frame.Status(2));
        FrameReader reader = new FrameReader(new ByteArrayInputStream(out.toByteArray()));

        assertThatThrownBy(reader::read).isInstanceOf(UnknownFrameTypeException.class)
                .hasMessage("unknown frame type 0x7e")
                .satisfies(e -> assertThat(((UnknownFrameTypeException) e).code()).isEqualTo(0x7e));
        assertThat(reader.read()).isEqualTo(new Frame.Status(2));
    }

    @Test
    void oversizedFramesAreNotWritten() {
        byte[] huge = new byte[Limits.MAX_FRAME];
        assertThatThrownBy(() -> FrameWriter.encode(new Frame.Output(huge))).isInstanceOf(IOException.class)
                .hasMessageContaining("exceeds the limit");
    }

    private static Frame read(byte[] bytes) throws Exception {
        return new FrameReader(new ByteArrayInputStream(bytes)).read();
    }
}
