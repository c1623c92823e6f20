package com.linbit.tunl.relay.live;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.linbit.tunl.relay.chat.ChatLine;

import static org.assertj.core.api.Assertions.assertThat;

class ViewerTest {

    private static final class Recorder extends Viewer {
        Recorder(long max) {
            super("alice", true, max);
        }

        @Override
        public void chat(ChatLine line) {
        }

        @Override
        public void notice(String text) {
        }

        @Override
        public void ended(String message) {
            close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void outputBeforeTheFirstSnapshotIsDroppedThenFlowsInOrder() throws Exception {
        Recorder viewer = new Recorder(100);
        assertThat(viewer.offerOutput(bytes("too early"))).isTrue();
        viewer.offerSnapshot(bytes("[screen]"));
        viewer.offerOutput(bytes("a"));
        viewer.offerOutput(bytes("b"));

        assertThat(new String(viewer.takeBlocking(1024), StandardCharsets.US_ASCII)).isEqualTo("[screen]ab");
    }

    @Test
    void aViewerThatFallsBehindIsEmptiedAndWaitsForASnapshot() throws Exception {
        Recorder viewer = new Recorder(10);
        viewer.offerSnapshot(bytes("S"));
        assertThat(viewer.offerOutput(bytes("123456789"))).isTrue();
        assertThat(viewer.offerOutput(bytes("overflow!"))).isFalse();
        assertThat(viewer.isAwaitingSnapshot()).isTrue();
        assertThat(viewer.offerOutput(bytes("ignored"))).isTrue();

        viewer.offerSnapshot(bytes("fresh"));
        viewer.offerOutput(bytes("+live"));
        viewer.close();

        assertThat(new String(viewer.takeBlocking(1024), StandardCharsets.US_ASCII)).isEqualTo("fresh+live");
        assertThat(viewer.takeBlocking(1024)).isNull();
    }

    @Test
    void writesAreBatchedUpToTheLimit() throws Exception {
        Recorder viewer = new Recorder(1000);
        viewer.offerSnapshot(bytes("12345"));
        viewer.offerOutput(bytes("67890"));
        viewer.offerOutput(bytes("abcde"));

        assertThat(new String(viewer.takeBlocking(10), StandardCharsets.US_ASCII)).isEqualTo("1234567890");
        assertThat(new String(viewer.takeBlocking(10), StandardCharsets.US_ASCII)).isEqualTo("abcde");
    }
}
