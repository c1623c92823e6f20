package com.linbit.tunl.relay.ssh.tunnel;

import java.util.Optional;

import org.apache.sshd.server.session.ServerSession;

/**
 * The relay's policy for the virtual reverse tunnel, and where it hears what happened.
 *
 * <p>Every method is called on a MINA I/O thread: answer from memory, never wait on a database,
 * a lock held elsewhere or the network (hand slow work such as audit rows to a background writer).
 * A method that throws counts as a refusal (for the two {@code refuse…} questions) or is logged
 * and ignored (for the notifications).
 */
public interface TunnelGate {

    /**
     * A customer agent asks {@code tcpip-forward} for {@code address:port} (address = a session ID).
     *
     * @return empty to accept, or why it is refused (the SSH protocol cannot carry the reason to the
     *         agent; it is passed to {@link #forwardRefused} and logged)
     */
    Optional<String> refuseForward(ServerSession agentSession, String address, int port);

    /**
     * An engineer opens {@code direct-tcpip} to {@code host:port}.
     *
     * @return empty to allow, or the message the engineer's client prints, e.g.
     *         {@code tunnel not granted for swift-fox-jumps-barrel}
     */
    Optional<String> refuseConnect(ServerSession engineerSession, String host, int port);

    /** The agent's forward of {@code name} is registered (also when it replaces an older one). */
    void forwardOpened(String name, ServerSession agentSession);

    /** The forward of {@code name} is gone: cancel-tcpip-forward, or the agent's connection closed. */
    void forwardClosed(String name);

    /** An engineer's connection is bridged to the agent (both channels open). */
    void connectionOpened(TunnelConnection connection);

    /** A bridged connection ended (both channels closed); its byte counts are final. */
    void connectionClosed(TunnelConnection connection);

    /**
     * A {@code tcpip-forward} was refused, by {@link #refuseForward} or by the registry (for example
     * a port other than the one the name is registered with). For auditing; default: nothing.
     */
    default void forwardRefused(ServerSession agentSession, String address, int port, String reason) {
    }

    /**
     * A {@code direct-tcpip} open was refused, by {@link #refuseConnect} or afterwards (no forward
     * registered for the name, the agent refused or failed to open its side). For auditing; default: nothing.
     */
    default void connectRefused(ServerSession engineerSession, String host, int port, String reason) {
    }
}
