package com.linbit.tunl.relay.tunnel;

/**
 * Where a session's tunnel stands. requested → granted or denied; granted → open (the agent's
 * reverse forward is registered); open or granted → revoked; anything → closed when the session
 * ends. Denied and revoked tunnels may be asked for again.
 */
public enum TunnelState {
    NONE, REQUESTED, GRANTED, OPEN, DENIED, REVOKED, CLOSED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean mayBeRequested() {
        return this == NONE || this == DENIED || this == REVOKED;
    }
}
