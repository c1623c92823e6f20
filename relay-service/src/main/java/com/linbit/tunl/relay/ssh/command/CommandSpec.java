package com.linbit.tunl.relay.ssh.command;

import java.util.function.Supplier;

/** One registered command: its name, usage line, one-line summary and how to make it. */
record CommandSpec(String name, String usage, String summary, Supplier<SupportCommand> factory) {
}
