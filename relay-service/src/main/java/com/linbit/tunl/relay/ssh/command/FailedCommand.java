package com.linbit.tunl.relay.ssh.command;

import java.util.concurrent.Executor;

/** Stands for a command line that could not be understood: it only reports why. */
final class FailedCommand extends SupportCommand {

    private final UsageException failure;

    FailedCommand(Executor executor, UsageException failure) {
        super(executor);
        this.failure = failure;
    }

    @Override
    String name() {
        return "(invalid)";
    }

    @Override
    int run(Invocation invocation) throws UsageException {
        throw failure;
    }
}
