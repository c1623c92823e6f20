package com.linbit.tunl.relay.ssh.tunnel;

import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.Session;

/** {@code direct-tcpip} channels that reach virtual forwards only, never a real host. */
final class DirectTcpipTunnelFactory implements ChannelFactory {

    static final String TYPE = "direct-tcpip";

    private final VirtualForwards forwards;

    DirectTcpipTunnelFactory(VirtualForwards forwards) {
        this.forwards = forwards;
    }

    @Override
    public String getName() {
        return TYPE;
    }

    @Override
    public Channel createChannel(Session session) {
        return new EngineerTunnelChannel(forwards);
    }
}
