package com.linbit.tunl.relay.ssh.command;

import java.util.concurrent.Executor;

import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.shell.ShellFactory;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.ssh.SshSessions;

/** Nobody gets a shell on the relay; the refusal is audited and points at {@code help}. */
public final class RefusingShellFactory implements ShellFactory {

    private final Executor executor;
    private final AuditLog audit;

    public RefusingShellFactory(Executor executor, AuditLog audit) {
        this.executor = executor;
        this.audit = audit;
    }

    @Override
    public Command createShell(ChannelSession channel) {
        var session = channel.getSession();
        if (SshSessions.firstRefusal(session, "shell")) {
            audit.recordLater(AuditEntry.of(AuditEventType.SHELL_REFUSED, SshSessions.printableUser(session.getUsername()))
                    .from(SshSessions.sourceAddress(session)));
        }
        return new FailedCommand(executor, new UsageException("this relay offers no shell; run a command"
                + " instead, e.g. ssh -p PORT " + SshSessions.printableUser(session.getUsername())
                + "@RELAY help"));
    }
}
