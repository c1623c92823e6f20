package com.linbit.tunl.relay.ssh.command;

import java.util.concurrent.Executor;

import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.subsystem.SubsystemFactory;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.ssh.SshSessions;

/**
 * Answers a subsystem request (e.g. {@code sftp}) with an audited refusal instead of MINA's
 * silent one, so the attempt shows in the record.
 */
public final class RefusingSubsystemFactory implements SubsystemFactory {

    private final String name;
    private final Executor executor;
    private final AuditLog audit;

    public RefusingSubsystemFactory(String name, Executor executor, AuditLog audit) {
        this.name = name;
        this.executor = executor;
        this.audit = audit;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Command createSubsystem(ChannelSession channel) {
        var session = channel.getSession();
        if (SshSessions.firstRefusal(session, "subsystem " + name)) {
            audit.recordLater(AuditEntry.of(AuditEventType.SUBSYSTEM_REFUSED, SshSessions.printableUser(session.getUsername()))
                    .from(SshSessions.sourceAddress(session))
                    .reason(name));
        }
        return new FailedCommand(executor, new UsageException("the " + name + " subsystem is not available on this relay"));
    }
}
