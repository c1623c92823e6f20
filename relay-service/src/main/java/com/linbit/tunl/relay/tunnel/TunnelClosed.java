package com.linbit.tunl.relay.tunnel;

/** A session's tunnel was revoked or closed: its forward and live connections must go at once. */
public record TunnelClosed(String sessionId, String reason) {
}
