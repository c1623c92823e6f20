package com.linbit.tunl.agent;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.linbit.tunl.protocol.Frame;

import static org.assertj.core.api.Assertions.assertThat;

class SendQueueTest {

    @Test
    void framesWaitForAConnectionAndAreResentFromWhereTheRelayLeftOff() throws Exception {
        SendQueue<String> queue = new SendQueue<>(1024 * 1024);
        queue.add(output("one"));
        queue.add(new Frame.CustomerChat("hello"));
        queue.add(output("two"));
        queue.resume(0, "first");
        assertThat(take(queue, 3)).containsExactly(output("one"), new Frame.CustomerChat("hello"), output("two"));

        queue.acknowledge(1);
        queue.pause();
        queue.add(output("three"));
        assertThat(queue.oldestHeld()).as("the relay confirmed frame 1 only").isEqualTo(2);
        queue.resume(2, "second");
        assertThat(take(queue, 2)).as("what the relay did not have, in order").containsExactly(output("two"), output("three"));
        queue.acknowledge(4);
        assertThat(queue.oldestHeld()).isEqualTo(5);
        assertThat(queue.heldBytes()).isZero();
    }

    @Test
    void aFrameTakenForAConnectionThatWentIsSentAgainOnTheNewOneOnly() throws Exception {
        SendQueue<String> queue = new SendQueue<>(1024 * 1024);
        queue.resume(0, "first");
        queue.add(output("a"));
        SendQueue.Taken<String> taken = queue.takeForSending();
        assertThat(taken.link()).isEqualTo("first");
        queue.pause();
        queue.resume(0, "second");
        SendQueue.Taken<String> again = queue.takeForSending();
        assertThat(again.frame()).isEqualTo(output("a"));
        assertThat(again.link()).as("the sender writes it where it was taken for").isEqualTo("second");
    }

    @Test
    void acknowledgedOutputIsLetGo() {
        SendQueue<String> queue = new SendQueue<>(1024 * 1024);
        for (int i = 0; i < 1000; i++) {
            queue.add(new Frame.Output(new byte[1000]));
        }
        queue.resume(1000, "relay");
        assertThat(queue.heldBytes()).isZero();
        assertThat(queue.oldestHeld()).isEqualTo(1001);
    }

    @Test
    void aRelayThatRestartedGetsEverythingStillHeld() throws Exception {
        SendQueue<String> queue = new SendQueue<>(1024 * 1024);
        queue.resume(0, "first");
        queue.add(output("a"));
        queue.add(output("b"));
        take(queue, 2);
        queue.pause();
        queue.resume(queue.oldestHeld() - 1, "restarted relay");
        assertThat(take(queue, 2)).containsExactly(output("a"), output("b"));
    }

    @Test
    void pastTheBudgetTheOldestOutputBecomesAGapAndChatIsKept() throws Exception {
        SendQueue<String> queue = new SendQueue<>(4 * 1024);
        queue.add(new Frame.CustomerChat("kept"));
        for (int i = 0; i < 10; i++) {
            queue.add(new Frame.Output(new byte[1000]));
        }
        queue.resume(0, "first");
        List<Frame> sent = take(queue, 11);

        assertThat(sent.get(0)).isEqualTo(new Frame.CustomerChat("kept"));
        assertThat(sent).as("one frame per number, still in order").hasSize(11);
        long gaps = sent.stream().filter(Frame.OutputGap.class::isInstance).count();
        assertThat(gaps).isPositive();
        assertThat(sent.subList(1, 1 + (int) gaps)).allMatch(frame -> frame.equals(new Frame.OutputGap(1000)),
                "the oldest output gave way");
        assertThat(sent.subList(1 + (int) gaps, 11)).allMatch(Frame.Output.class::isInstance);
        assertThat(queue.droppedBytes()).isEqualTo(gaps * 1000);
        assertThat(queue.heldBytes()).isLessThanOrEqualTo(4 * 1024);
    }

    private static Frame.Output output(String text) {
        return new Frame.Output(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<Frame> take(SendQueue<String> queue, int count) throws InterruptedException {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(queue.takeForSending().frame());
        }
        return frames;
    }
}
