package com.linbit.tunl.relay.ssh;

import java.security.PublicKey;

import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.keys.KeyCheck;
import com.linbit.tunl.relay.keys.KeyRegistry;
import com.linbit.tunl.relay.keys.ParsedPublicKey;
import com.linbit.tunl.relay.session.SessionIdGenerator;

/**
 * Lets in engineers whose key is registered and live. It runs on MINA's I/O thread, so the check
 * is an in-memory lookup and refusals are audited in the background.
 *
 * <p>A user name shaped like a session ID is a customer agent. Any key proves itself here; whether
 * it may have that session is decided on the agent channel, off the I/O thread, where the relay
 * can answer every refusal with the same message after a small random delay.
 */
final class SupportPublickeyAuthenticator implements PublickeyAuthenticator {

    private final KeyRegistry registry;
    private final AuditLog audit;

    SupportPublickeyAuthenticator(KeyRegistry registry, AuditLog audit) {
        this.registry = registry;
        this.audit = audit;
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        if (SessionIdGenerator.isWellFormed(username)) {
            session.setAttribute(SshSessions.CUSTOMER_KEY, ParsedPublicKey.fingerprint(key));
            return true;
        }
        KeyCheck check = registry.check(username, key);
        if (check.accepted()) {
            session.setAttribute(SshSessions.KEY_ID, check.keyId());
            session.setAttribute(SshSessions.KEY_FINGERPRINT, check.fingerprint());
            return true;
        }
        String fingerprint = ParsedPublicKey.fingerprint(key);
        if (SshSessions.firstRefusal(session, check.refusal() + " " + fingerprint)) {
            audit.recordLater(AuditEntry.of(AuditEventType.LOGIN_REFUSED, SshSessions.printableUser(username))
                    .from(SshSessions.sourceAddress(session))
                    .reason(check.refusal())
                    .details(fingerprint));
        }
        return false;
    }
}
