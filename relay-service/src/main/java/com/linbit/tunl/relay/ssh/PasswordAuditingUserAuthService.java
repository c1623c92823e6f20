package com.linbit.tunl.relay.ssh;

import java.io.IOException;
import java.util.Locale;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.session.ServerUserAuthService;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;

/**
 * MINA's user-auth service, which only ever offers public keys, plus a look at each request so a
 * client that tries a password or keyboard-interactive anyway leaves an audit row. MINA itself
 * refuses such a request without calling any authenticator.
 */
final class PasswordAuditingUserAuthService extends ServerUserAuthService {

    private final AuditLog audit;

    PasswordAuditingUserAuthService(Session session, AuditLog audit) throws IOException {
        super(session);
        this.audit = audit;
    }

    @Override
    public void process(int cmd, Buffer buffer) throws Exception {
        if (cmd == SshConstants.SSH_MSG_USERAUTH_REQUEST) {
            int start = buffer.rpos();
            try {
                String username = buffer.getString();
                buffer.getString(); // service
                String method = buffer.getString().toLowerCase(Locale.ROOT);
                if (("password".equals(method) || "keyboard-interactive".equals(method))
                        && SshSessions.firstRefusal(getSession(), "password-refused")) {
                    audit.recordLater(AuditEntry.of(AuditEventType.LOGIN_REFUSED, SshSessions.printableUser(username))
                            .from(SshSessions.sourceAddress(getSession()))
                            .reason("password-refused")
                            .details(method));
                }
            } catch (RuntimeException malformed) {
                // Let MINA's own parsing reject it with the right protocol error.
            } finally {
                buffer.rpos(start);
            }
        }
        super.process(cmd, buffer);
    }
}
