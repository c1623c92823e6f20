package com.linbit.tunl.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * One protocol frame. The payload of every type is a sequence of fields: {@code u16}, {@code u32},
 * {@code u64} (big-endian), {@code text} (u32 length + UTF-8) and {@code bytes} (the rest of the
 * frame). {@link FrameWriter} and {@link FrameReader} know each type's fields.
 */
public sealed interface Frame {

    FrameType type();

    /**
     * Agent → relay, first frame: who is connecting and how. {@code runId} names this run of the
     * agent (the same across its reconnects); {@code resumeFrom} is the sequence number of the
     * oldest frame it still holds for resending (1 on a fresh run).
     */
    record Hello(int version, String mode, String hostname, String agentVersion, String runId, long resumeFrom)
            implements Frame {
        public FrameType type() {
            return FrameType.HELLO;
        }
    }

    /** Agent → relay: raw output of the shared pane. */
    record Output(byte[] data) implements Frame {
        public Output {
            Objects.requireNonNull(data);
        }

        public FrameType type() {
            return FrameType.OUTPUT;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Output that && Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }
    }

    /** Agent → relay: a full repaint of the shared pane, for late joiners and resyncs. */
    record Snapshot(int columns, int rows, byte[] screen) implements Frame {
        public FrameType type() {
            return FrameType.SNAPSHOT;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Snapshot that && columns == that.columns && rows == that.rows
                    && Arrays.equals(screen, that.screen);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * columns + rows) + Arrays.hashCode(screen);
        }
    }

    /** Agent → relay: the shared pane's size changed. */
    record Resize(int columns, int rows) implements Frame {
        public FrameType type() {
            return FrameType.RESIZE;
        }
    }

    /** Agent → relay: a chat line typed by the customer. */
    record CustomerChat(String text) implements Frame {
        public FrameType type() {
            return FrameType.CUSTOMER_CHAT;
        }
    }

    /** Agent → relay: the customer ended the session. */
    record End(String reason) implements Frame {
        public FrameType type() {
            return FrameType.END;
        }
    }

    /**
     * Relay → agent: the session is yours; here is what it is. {@code received}: the last frame
     * sequence number of this agent run the relay already has; the agent resends what follows.
     */
    record Welcome(String sessionId, String caseNumber, String mode, int viewers, long received) implements Frame {
        public FrameType type() {
            return FrameType.WELCOME;
        }
    }

    /** Relay → agent: keystrokes from an engineer, for the shared pane. */
    record Input(String engineer, byte[] data) implements Frame {
        public FrameType type() {
            return FrameType.INPUT;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Input that && engineer.equals(that.engineer) && Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return 31 * engineer.hashCode() + Arrays.hashCode(data);
        }
    }

    /** Relay → agent: a chat line as stored (author is an engineer or {@code customer}). */
    record Chat(String author, long sentAtEpochMillis, String text) implements Frame {
        public FrameType type() {
            return FrameType.CHAT;
        }
    }

    /** Relay → agent: how many engineers watch now. */
    record Status(int viewers) implements Frame {
        public FrameType type() {
            return FrameType.STATUS;
        }
    }

    /** Relay → agent: a line for the chat pane that nobody typed, e.g. "alice joined". */
    record Notice(String text) implements Frame {
        public FrameType type() {
            return FrameType.NOTICE;
        }
    }

    /** Relay → agent: send a {@link Snapshot} now. */
    record SnapshotRequest() implements Frame {
        public FrameType type() {
            return FrameType.SNAPSHOT_REQUEST;
        }
    }

    /** Relay → agent: refused; the relay closes the channel after this. */
    record Error(String code, String message) implements Frame {
        public FrameType type() {
            return FrameType.ERROR;
        }
    }

    /** Relay → agent: the session was ended on the relay's side (admin, expiry, ...). */
    record Ended(String reason) implements Frame {
        public FrameType type() {
            return FrameType.ENDED;
        }
    }

    /**
     * Agent → relay: the customer's answer about {@code engineer}'s tunnel: {@code granted},
     * {@code denied} or {@code revoked}.
     */
    record TunnelDecision(String decision, String engineer) implements Frame {
        public FrameType type() {
            return FrameType.TUNNEL_DECISION;
        }
    }

    /**
     * Relay → agent: {@code engineer} asks for the tunnel. On grant the agent installs
     * {@code publicKeys} (OpenSSH public key lines, one per line) valid until {@code expiresAtEpochSeconds}.
     */
    record TunnelRequest(String engineer, String publicKeys, long expiresAtEpochSeconds) implements Frame {
        public FrameType type() {
            return FrameType.TUNNEL_REQUEST;
        }
    }

    /**
     * Agent → relay: output the agent had to drop because it produced more than it could hold
     * while the relay was out of reach; the recording marks the gap.
     */
    record OutputGap(long bytes) implements Frame {
        public FrameType type() {
            return FrameType.OUTPUT_GAP;
        }
    }

    /**
     * Agent → relay (version 3): something the agent could not do on the customer's machine, e.g. a
     * tmux command that failed; the relay shows it to the engineers and audits it.
     */
    record AgentNotice(String text) implements Frame {
        public FrameType type() {
            return FrameType.AGENT_NOTICE;
        }
    }

    /** Relay → agent: every frame up to sequence number {@code received} has arrived and been handled. */
    record Ack(long received) implements Frame {
        public FrameType type() {
            return FrameType.ACK;
        }
    }
}
