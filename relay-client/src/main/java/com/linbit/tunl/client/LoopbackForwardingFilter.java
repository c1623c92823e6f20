package com.linbit.tunl.client;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;

/**
 * The client side of a granted tunnel: the relay may open {@code forwarded-tcpip} channels only for
 * a forward this client registered, and only to a target on this machine's loopback. Everything
 * else (agent, X11, any other target) stays refused.
 */
final class LoopbackForwardingFilter extends RejectAllForwardingFilter {

    static final LoopbackForwardingFilter INSTANCE = new LoopbackForwardingFilter();

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        return type == Type.Forwarded && isLoopback(address.getHostName());
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
