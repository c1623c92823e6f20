package com.linbit.tunl.relay.ssh.tunnel;

import org.apache.sshd.common.channel.AbstractChannel;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;

/** One of the two channels of a bridged connection, as the pumps see it. */
interface TunnelEnd {

    AbstractChannel channel();

    /** Where data for this channel's peer is written; null until the channel is open. */
    ChannelAsyncOutputStream output();

    /** Sends SSH_MSG_CHANNEL_EOF to this channel's peer (once). */
    void sendEofToPeer();

    /** Binds the connection whose pumps receive this channel's data, EOF and close. */
    void attach(TunnelConnection connection);

    default String describe() {
        return channel().toString();
    }
}
