package com.linbit.tunl.relay.ssh.command;

import java.util.Set;
import java.util.concurrent.Executor;

import com.linbit.tunl.relay.session.InvalidSessionRequestException;
import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.session.SupportSession;
import com.linbit.tunl.relay.ssh.SshSessions;

/** {@code create-session [--case CASE] [--note TEXT]}: a new session ID to read to the customer. */
final class CreateSessionCommand extends SupportCommand {

    static final String USAGE = "create-session [--case CASE] [--note TEXT]";

    private final SessionService sessions;

    CreateSessionCommand(Executor executor, SessionService sessions) {
        super(executor);
        this.sessions = sessions;
    }

    @Override
    String name() {
        return "create-session";
    }

    @Override
    int run(Invocation invocation) throws UsageException {
        Arguments args = Arguments.parse(name(), invocation.words(), Set.of("case", "note"), Set.of());
        args.expectPositional(name(), 0, 0, USAGE);
        SupportSession session;
        try {
            session = sessions.create(invocation.user(), args.option("case"), args.option("note"),
                    SshSessions.sourceAddress(invocation.channel().getSession()));
        } catch (InvalidSessionRequestException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        // The ID alone on line one, so scripts can take it with `head -n1`.
        invocation.println(session.getId());
        invocation.println("linbit-tunl " + session.getId());
        return 0;
    }
}
