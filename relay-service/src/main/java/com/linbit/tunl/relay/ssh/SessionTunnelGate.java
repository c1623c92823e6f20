package com.linbit.tunl.relay.ssh;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.apache.sshd.server.session.ServerSession;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.ssh.tunnel.TunnelConnection;
import com.linbit.tunl.relay.ssh.tunnel.TunnelGate;
import com.linbit.tunl.relay.tunnel.TunnelService;

/**
 * Who may use the virtual tunnel: only the connection that claimed a session registers its name,
 * and only once the customer granted; only the engineer it was granted to connects, and only to
 * {@code <session-id>:22} of the open tunnel. Everything else is refused and audited, once per connection and kind.
 */
final class SessionTunnelGate implements TunnelGate {

    static final int SSH_PORT = 22;

    private final TunnelService tunnels;
    private final AuditLog audit;
    private final Clock clock;

    SessionTunnelGate(TunnelService tunnels, AuditLog audit, Clock clock) {
        this.tunnels = tunnels;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Optional<String> refuseForward(ServerSession agentSession, String address, int port) {
        if (!SshSessions.isCustomer(agentSession)) {
            return Optional.of("only a customer agent registers a tunnel");
        }
        String sessionId = agentSession.getUsername();
        if (!sessionId.equalsIgnoreCase(address) || (port != SSH_PORT && port != 0)) {
            return Optional.of("a session forwards only its own name, port 22");
        }
        // The session ID alone is no credential: only the connection whose agent claimed the
        // session (with its bound key) may carry its tunnel.
        if (!sessionId.equals(agentSession.getAttribute(SshSessions.CLAIMED_SESSION))) {
            return Optional.of("this connection has not claimed " + sessionId);
        }
        return tunnels.mayForward(sessionId) ? Optional.empty() : Optional.of("tunnel not granted");
    }

    @Override
    public Optional<String> refuseConnect(ServerSession engineerSession, String host, int port) {
        if (SshSessions.isCustomer(engineerSession)) {
            return Optional.of("customer connections cannot open connections through the relay");
        }
        if (port != SSH_PORT || !tunnels.isOpenFor(host, engineerSession.getUsername())) {
            return Optional.of("tunnel not granted for " + SshSessions.printableUser(host));
        }
        return Optional.empty();
    }

    @Override
    public void forwardOpened(String name, ServerSession agentSession) {
        tunnels.forwardOpened(name);
    }

    @Override
    public void forwardClosed(String name) {
        tunnels.forwardGone(name);
    }

    @Override
    public void connectionOpened(TunnelConnection connection) {
        audit.recordLater(AuditEntry.of(AuditEventType.TUNNEL_CONNECTION_OPENED, connection.engineer())
                .from(String.valueOf(connection.originator())).session(connection.name()));
    }

    @Override
    public void connectionClosed(TunnelConnection connection) {
        Duration open = Duration.between(connection.opened(), clock.instant());
        audit.recordLater(AuditEntry.of(AuditEventType.TUNNEL_CONNECTION_CLOSED, connection.engineer())
                .from(String.valueOf(connection.originator())).session(connection.name())
                .details("to customer " + connection.bytesToCustomer() + " bytes, to engineer "
                        + connection.bytesToEngineer() + " bytes, " + open.toMillis() + " ms"));
    }

    @Override
    public void forwardRefused(ServerSession agentSession, String address, int port, String reason) {
        refused(agentSession, "tcpip-forward", SshSessions.printableUser(address) + ":" + port, reason);
    }

    @Override
    public void connectRefused(ServerSession engineerSession, String host, int port, String reason) {
        refused(engineerSession, "direct-tcpip", SshSessions.printableUser(host) + ":" + port, reason);
    }

    /** {@code target} is already printable; {@code reason} is the gate's or the registry's own text. */
    private void refused(ServerSession session, String kind, String target, String reason) {
        if (SshSessions.firstRefusal(session, kind)) {
            audit.recordLater(AuditEntry.of(AuditEventType.FORWARDING_REFUSED, SshSessions.printableUser(session.getUsername()))
                    .from(SshSessions.sourceAddress(session)).reason(kind).details(target + " (" + reason + ")"));
        }
    }
}
