package com.linbit.tunl.relay.ssh;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;

/**
 * Refuses every kind of forwarding MINA knows — agent, X11, local/dynamic ({@code direct-tcpip})
 * and remote ({@code tcpip-forward}) — and audits each attempt. The only tunnel tunl offers is the
 * customer-granted virtual one, which never goes through MINA's socket forwarding.
 */
final class AuditingDenyForwardingFilter implements ForwardingFilter {

    private final AuditLog audit;

    AuditingDenyForwardingFilter(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        return refuse(session, "agent-forwarding", requestType);
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        return refuse(session, "x11-forwarding", requestType);
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        return refuse(session, "tcpip-forward", String.valueOf(address));
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        return refuse(session, "direct-tcpip", type.getName() + " " + address);
    }

    private boolean refuse(Session session, String kind, String what) {
        if (!SshSessions.firstRefusal(session, kind)) {
            return false;
        }
        audit.recordLater(AuditEntry.of(AuditEventType.FORWARDING_REFUSED, SshSessions.printableUser(session.getUsername()))
                .from(SshSessions.sourceAddress(session))
                .reason(kind)
                .details(SshSessions.printableUser(what)));
        return false;
    }
}
