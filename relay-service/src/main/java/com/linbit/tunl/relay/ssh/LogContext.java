package com.linbit.tunl.relay.ssh;

/**
 * Names of the log context (MDC) entries the relay sets, which structured logging
 * ({@code logging.structured.format.console=ecs}) writes as fields of every line.
 */
public final class LogContext {

    /** The session a thread is working for. */
    public static final String SESSION = "tunl.session";
    /** The engineer whose SSH command a thread runs. */
    public static final String ENGINEER = "tunl.engineer";

    private LogContext() {
    }
}
