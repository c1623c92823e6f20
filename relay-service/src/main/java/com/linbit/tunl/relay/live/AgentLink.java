package com.linbit.tunl.relay.live;

import java.time.Instant;
import java.util.List;

import com.linbit.tunl.relay.chat.ChatLine;

/** The relay's way to the customer agent of one session, whatever carries it. */
public interface AgentLink {

    void input(String engineer, byte[] keys);

    void chat(ChatLine line);

    void viewers(int count);

    void notice(String text);

    /** An engineer asks for the tunnel; the agent installs {@code publicKeys} (until {@code expiresAt}) on grant. */
    void tunnelRequested(String engineer, List<String> publicKeys, Instant expiresAt);

    void requestSnapshot();

    /** The session ended on the relay's side; the agent should wind down. */
    void ended(String reason);

    /** Drops the connection, e.g. when a newer agent connection for the same session took over. */
    void disconnect(String reason);
}
