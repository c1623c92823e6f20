package com.linbit.tunl.relay.ssh.agent;

import java.time.Instant;
import java.util.List;

import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.relay.chat.ChatLine;
import com.linbit.tunl.relay.live.AgentLink;

/** {@link AgentLink} over protocol frames. */
final class FrameAgentLink implements AgentLink {

    private final FrameOutbox outbox;

    /** Closing the outbox closes the channel, after what was queued is written. */
    FrameAgentLink(FrameOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void input(String engineer, byte[] keys) {
        outbox.send(new Frame.Input(engineer, keys));
    }

    @Override
    public void chat(ChatLine line) {
        outbox.send(new Frame.Chat(line.author(), line.sentAt().toEpochMilli(), line.text()));
    }

    @Override
    public void viewers(int count) {
        outbox.send(new Frame.Status(count));
    }

    @Override
    public void notice(String text) {
        outbox.send(new Frame.Notice(text));
    }

    @Override
    public void tunnelRequested(String engineer, List<String> publicKeys, Instant expiresAt) {
        outbox.send(new Frame.TunnelRequest(engineer, String.join("\n", publicKeys), expiresAt.getEpochSecond()));
    }

    @Override
    public void requestSnapshot() {
        outbox.send(new Frame.SnapshotRequest());
    }

    @Override
    public void ended(String reason) {
        outbox.send(new Frame.Ended(reason));
        outbox.closeAfterQueued();
    }

    @Override
    public void disconnect(String reason) {
        outbox.send(new Frame.Error("replaced", reason));
        outbox.closeAfterQueued();
    }
}
