package com.linbit.tunl.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameReader;
import com.linbit.tunl.protocol.FrameWriter;
import com.linbit.tunl.protocol.Limits;
import com.linbit.tunl.protocol.ProtocolException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the agent makes of a newer or faulty relay's frames, on scripted connections. */
class RelayConnectionTest {

    private static final Frame.Welcome WELCOME = new Frame.Welcome("swift-fox-jumps-barrel", "", "share", 0, 0);

    @Test
    void aFrameOfATypeThisAgentDoesNotKnowIsSkipped() throws Exception {
        ScriptedRelay relay = new ScriptedRelay(script(encode(WELCOME), new byte[] {0, 0, 0, 3, 0x7e, 1, 2},
                encode(new Frame.Chat("alice", 1, "after the unknown one"))));
        try (RelayConnection connection = open(relay)) {
            assertThat(connection.read()).isEqualTo(new Frame.Chat("alice", 1, "after the unknown one"));
            assertThat(relay.dialled).isEqualTo(1);
        }
    }

    @Test
    void aFrameItCannotDecodeReconnectsInsteadOfLeavingAHalfDeadLink() throws Exception {
        byte[] badUtf8Chat = {0, 0, 0, 19, (byte) 0x83, 0, 0, 0, 1, 'a', 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, (byte) 0xff};
        ScriptedRelay relay = new ScriptedRelay(
                script(encode(WELCOME), badUtf8Chat, encode(new Frame.Chat("alice", 2, "never read"))),
                script(encode(WELCOME), encode(new Frame.Chat("alice", 3, "on the new connection"))));
        try (RelayConnection connection = open(relay)) {
            assertThat(connection.read()).isEqualTo(new Frame.Chat("alice", 3, "on the new connection"));
            assertThat(relay.dialled).isEqualTo(2);
            assertThat(relay.links.get(0).closed).as("the connection that sent it is closed").isTrue();
        }
    }

    @Test
    void aFrameTooLargeToSendIsRefusedBeforeItIsQueued() throws Exception {
        ScriptedRelay relay = new ScriptedRelay(script(encode(WELCOME)));
        try (RelayConnection connection = open(relay)) {
            Frame huge = new Frame.Snapshot(80, 24, new byte[Limits.MAX_FRAME]);
            assertThatThrownBy(() -> connection.send(huge)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SNAPSHOT frame not sent");
            connection.send(new Frame.Output(new byte[] {'o', 'k'}));

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (relay.links.get(0).sent.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(relay.links.get(0).sent).extracting(Frame::type).containsExactly(
                    com.linbit.tunl.protocol.FrameType.HELLO, com.linbit.tunl.protocol.FrameType.OUTPUT);
        }
    }

    private static RelayConnection open(ScriptedRelay relay) throws Exception {
        return RelayConnection.open(relay, "share", "test-host", "test", "run-1", Duration.ofSeconds(1), 1024 * 1024);
    }

    private static byte[] encode(Frame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter.write(out, frame);
        return out.toByteArray();
    }

    private static byte[] script(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    /** Hands out one scripted connection per dial, then refuses. */
    private static final class ScriptedRelay implements RelayConnection.Dialer {
        private final Deque<byte[]> scripts;
        final List<ScriptedLink> links = new CopyOnWriteArrayList<>();
        volatile int dialled;

        ScriptedRelay(byte[]... scripts) {
            this.scripts = new ArrayDeque<>(List.of(scripts));
        }

        @Override
        public synchronized RelayConnection.Link dial() throws IOException {
            dialled++;
            byte[] next = scripts.poll();
            if (next == null) {
                throw new IOException("no more connections in this script");
            }
            ScriptedLink link = new ScriptedLink(next);
            links.add(link);
            return link;
        }
    }

    /** Reads the relay's side from a script; records what the agent sends. */
    private static final class ScriptedLink implements RelayConnection.Link {
        private final FrameReader reader;
        final List<Frame> sent = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        ScriptedLink(byte[] script) {
            this.reader = new FrameReader(new ByteArrayInputStream(script));
        }

        @Override
        public void send(Frame frame) {
            sent.add(frame);
        }

        @Override
        public Frame read() throws IOException, ProtocolException {
            if (closed) {
                throw new IOException("closed");
            }
            return reader.read();
        }

        @Override
        public void forward(String name, int port) {
        }

        @Override
        public void stopForward(String name) {
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
