package com.linbit.tunl.agent;

import com.linbit.tunl.protocol.Frame;

/**
 * What the customer sees of the relay connection: the status line and a line in the chat pane at
 * each change. A lost connection pauses the tunnel; back on the relay, it resumes; given up, it
 * is closed and its key removed.
 */
final class ConnectionStatus implements RelayConnection.Listener {

    private final StatusLine status;
    private final ChatPaneServer pane;
    private final TunnelControl tunnel;

    ConnectionStatus(StatusLine status, ChatPaneServer pane, TunnelControl tunnel) {
        this.status = status;
        this.pane = pane;
        this.tunnel = tunnel;
    }

    @Override
    public void reconnecting(int attempt) {
        if (attempt == 1) {
            tunnel.suspend();
            pane.line("* the connection to the relay was lost; reconnecting. Your shell keeps running.");
        }
        status.connection("reconnecting (attempt " + attempt + ")");
    }

    @Override
    public void reconnected(Frame.Welcome welcome) {
        status.viewers(welcome.viewers());
        status.connection("relay connected");
        pane.line("* reconnected to the relay");
        tunnel.resume();
    }

    @Override
    public void gaveUp(String why) {
        tunnel.close();
        status.connection("relay connection lost");
        pane.line("* gave up reconnecting: " + why + ". Ctrl-b Q ends the session here.");
    }
}
