package com.linbit.tunl.relay.ssh.command;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.Executor;

/** {@code help}: what the relay's commands are and how to call them. */
final class HelpCommand extends SupportCommand {

    static final String USAGE = "help";

    private final Collection<CommandSpec> commands;

    HelpCommand(Executor executor, Collection<CommandSpec> commands) {
        super(executor);
        this.commands = commands;
    }

    @Override
    String name() {
        return "help";
    }

    @Override
    int run(Invocation invocation) throws UsageException {
        Arguments args = Arguments.parse(name(), invocation.words(), Set.of(), Set.of());
        args.expectPositional(name(), 0, 0, USAGE);
        invocation.println("tunl relay commands (run as: ssh -p PORT USER@RELAY COMMAND [ARGS]):");
        for (CommandSpec spec : commands) {
            invocation.println(String.format("  %-44s %s", spec.usage(), spec.summary()));
        }
        invocation.println("Quote values with spaces twice, once for your shell and once for the relay:");
        invocation.println("  ssh ... create-session --note \"'disk full on node 2'\"");
        return 0;
    }
}
