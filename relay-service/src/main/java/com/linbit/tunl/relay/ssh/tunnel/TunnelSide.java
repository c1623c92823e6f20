package com.linbit.tunl.relay.ssh.tunnel;

import java.io.IOException;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.AbstractChannel;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;

/**
 * What the engineer's and the agent's channel of a bridged connection do alike — they extend
 * different MINA bases, so they share this instead of a superclass: the outgoing stream, the
 * connection their data, EOF and window changes go to.
 */
final class TunnelSide {

    /** Which way this side's incoming data flows. */
    enum Direction {
        FROM_ENGINEER, FROM_CUSTOMER
    }

    private final AbstractChannel channel;
    private final Direction direction;
    private volatile ChannelAsyncOutputStream out;
    private volatile TunnelConnection connection;

    TunnelSide(AbstractChannel channel, Direction direction) {
        this.channel = channel;
        this.direction = direction;
    }

    /** Once the channel is open (or opening): where data for its peer is written. */
    void open() {
        out = new ChannelAsyncOutputStream(channel, SshConstants.SSH_MSG_CHANNEL_DATA);
    }

    ChannelAsyncOutputStream output() {
        return out;
    }

    void attach(TunnelConnection bridged) {
        this.connection = bridged;
    }

    /** Data from this channel's peer: to the other side, or dropped (window kept) before the bridge. */
    void received(byte[] data, int offset, long length) throws IOException {
        TunnelConnection bridged = connection;
        if (bridged == null) {
            channel.getLocalWindow().release(length);
        } else if (direction == Direction.FROM_ENGINEER) {
            bridged.fromEngineer(data, offset, length);
        } else {
            bridged.fromCustomer(data, offset, length);
        }
    }

    /** A TCP stream has no stderr: drop it but keep the window going. */
    void receivedExtended(long length) throws IOException {
        channel.getLocalWindow().release(length);
    }

    void eof() {
        TunnelConnection bridged = connection;
        if (bridged == null) {
            return;
        }
        if (direction == Direction.FROM_ENGINEER) {
            bridged.engineerEof();
        } else {
            bridged.customerEof();
        }
    }

    /** The peer opened its window: a write waiting for room may go on. */
    void windowExpanded() throws IOException {
        ChannelAsyncOutputStream stream = out;
        if (stream != null) {
            stream.onWindowExpanded();
        }
    }
}
