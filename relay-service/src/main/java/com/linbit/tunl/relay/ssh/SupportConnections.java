package com.linbit.tunl.relay.ssh;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.keys.KeyRegistry;
import com.linbit.tunl.relay.keys.SupportKeysRevoked;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The engineers' live SSH connections, so revoking a key cuts every connection made with it.
 */
@Component
public class SupportConnections implements SessionListener {

    private static final Logger log = LoggerFactory.getLogger(SupportConnections.class);

    private final Set<Session> authenticated = ConcurrentHashMap.newKeySet();
    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    private final KeyRegistry registry;
    private final AuditLog audit;

    SupportConnections(KeyRegistry registry, AuditLog audit) {
        this.registry = registry;
        this.audit = audit;
    }

    @Override
    public void sessionCreated(Session session) {
        open.add(session);
    }

    @Override
    public void sessionEvent(Session session, Event event) {
        if (event == Event.Authenticated && session.getAttribute(SshSessions.KEY_ID) != null) {
            authenticated.add(session);
            // A revocation may have landed between the key check and now.
            if (!registry.isActive(session.getAttribute(SshSessions.KEY_ID))) {
                cut(session);
            }
        }
    }

    @Override
    public void sessionClosed(Session session) {
        open.remove(session);
        authenticated.remove(session);
    }

    @EventListener
    void onKeysRevoked(SupportKeysRevoked revoked) {
        for (Session session : authenticated) {
            Long keyId = session.getAttribute(SshSessions.KEY_ID);
            if (keyId != null && revoked.keyIds().contains(keyId)) {
                cut(session);
            }
        }
    }

    private void cut(Session session) {
        authenticated.remove(session);
        log.info("Closing SSH connection of {} from {}: its key was revoked", session.getUsername(),
                SshSessions.sourceAddress(session));
        audit.recordLater(AuditEntry.of(AuditEventType.CONNECTION_CLOSED_KEY_REVOKED, session.getUsername())
                .from(SshSessions.sourceAddress(session))
                .reason("revoked-key")
                .details(session.getAttribute(SshSessions.KEY_FINGERPRINT)));
        session.close(true);
    }

    public int openConnections() {
        return open.size();
    }

    public int engineerConnections() {
        return authenticated.size();
    }
}
