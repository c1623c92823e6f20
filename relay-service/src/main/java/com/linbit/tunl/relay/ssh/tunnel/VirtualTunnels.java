package com.linbit.tunl.relay.ssh.tunnel;

import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.global.CancelTcpipForwardHandler;
import org.apache.sshd.server.global.TcpipForwardHandler;

/** Installs the virtual reverse tunnel on a MINA server. */
public final class VirtualTunnels {

    private VirtualTunnels() {
    }

    /**
     * Call before {@code server.start()}, after the server's global request handlers and channel
     * factories are set (e.g. after {@code SshServer.setUpDefaultServer()}; unset ones count as
     * MINA's defaults). It
     * <ul>
     * <li>puts the virtual {@code tcpip-forward}/{@code cancel-tcpip-forward} handler first and drops
     * MINA's socket-binding ones; every other global request handler (keepalive@openssh.com,
     * no-more-sessions@openssh.com, hostkeys-prove-00@openssh.com…) stays as it was;</li>
     * <li>replaces any {@code direct-tcpip} (and {@code forwarded-tcpip}) channel factory with the
     * virtual one, keeping the others (the {@code session} channel);</li>
     * <li>adds the registry as a session listener, so an agent's forwards go with its connection.</li>
     * </ul>
     * The server's ForwardingFilter is not touched and is not consulted for virtual tunnels: keep
     * it deny-all so nothing else (agent/X11 forwarding, real sockets) is ever allowed.
     *
     * @return the registry, for {@link VirtualForwards#cutAll(String)} on revoke
     */
    public static VirtualForwards install(SshServer server, TunnelGate gate) {
        if (server.isStarted()) {
            throw new IllegalStateException("install the virtual tunnel before the server starts");
        }
        VirtualForwards forwards = new VirtualForwards(gate);

        List<RequestHandler<ConnectionService>> current = server.getGlobalRequestHandlers();
        if (current == null) {
            current = ServerBuilder.DEFAULT_GLOBAL_REQUEST_HANDLERS;
        }
        List<RequestHandler<ConnectionService>> handlers = new ArrayList<>();
        handlers.add(new VirtualForwardRequestHandler(forwards));
        for (RequestHandler<ConnectionService> handler : current) {
            if (!(handler instanceof TcpipForwardHandler) && !(handler instanceof CancelTcpipForwardHandler)
                    && !(handler instanceof VirtualForwardRequestHandler)) {
                handlers.add(handler);
            }
        }
        server.setGlobalRequestHandlers(handlers);

        List<? extends ChannelFactory> factories = server.getChannelFactories();
        if (factories == null) {
            factories = ServerBuilder.DEFAULT_CHANNEL_FACTORIES;
        }
        List<ChannelFactory> channels = new ArrayList<>();
        for (ChannelFactory factory : factories) {
            String name = factory.getName();
            if (!DirectTcpipTunnelFactory.TYPE.equals(name) && !AgentTunnelChannel.TYPE.equals(name)) {
                channels.add(factory);
            }
        }
        channels.add(new DirectTcpipTunnelFactory(forwards));
        server.setChannelFactories(channels);

        server.addSessionListener(forwards);
        return forwards;
    }
}
