package com.linbit.tunl.relay.session;

/** Where a support session is in its life; see docs/architecture.md. */
public enum SessionState {
    /** Created by support, not yet claimed by a customer agent. */
    WAITING,
    /** The customer agent is connected. */
    ACTIVE,
    /** The agent's connection dropped; viewers stay attached while it comes back. */
    RECONNECTING,
    /** Over for good: a closed session never reopens. */
    CLOSED;

    public boolean isOpen() {
        return this != CLOSED;
    }
}
