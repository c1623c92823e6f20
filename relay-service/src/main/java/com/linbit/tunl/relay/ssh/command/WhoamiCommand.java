package com.linbit.tunl.relay.ssh.command;

import java.util.Set;
import java.util.concurrent.Executor;

import com.linbit.tunl.relay.ssh.SshSessions;

/** {@code whoami}: the engineer name and key this connection logged in with. */
final class WhoamiCommand extends SupportCommand {

    static final String USAGE = "whoami";

    WhoamiCommand(Executor executor) {
        super(executor);
    }

    @Override
    String name() {
        return "whoami";
    }

    @Override
    int run(Invocation invocation) throws UsageException {
        Arguments args = Arguments.parse(name(), invocation.words(), Set.of(), Set.of());
        args.expectPositional(name(), 0, 0, USAGE);
        invocation.println(invocation.user());
        invocation.println("key " + invocation.channel().getSession().getAttribute(SshSessions.KEY_FINGERPRINT)
                + " from " + SshSessions.sourceAddress(invocation.channel().getSession()));
        return 0;
    }
}
