package com.linbit.tunl.relay.audit;

/** Every kind of event the audit log knows; the stored name is the lower-kebab form. */
public enum AuditEventType {
    SESSION_CREATED,
    SESSION_EXPIRED,
    SESSION_CLAIMED,
    SESSION_RESUMED,
    SESSION_RECONNECTING,
    SESSION_CLOSED,
    MODE_LOWERED,
    SUPPORT_JOINED,
    SUPPORT_LEFT,
    INPUT_DENIED,
    CHAT_REFUSED,
    PROTOCOL_VIOLATION,
    KEY_ADDED,
    KEY_REVOKED,
    LOGIN_REFUSED,
    SHELL_REFUSED,
    SUBSYSTEM_REFUSED,
    FORWARDING_REFUSED,
    CONNECTION_CLOSED_KEY_REVOKED,
    RECORDING_FAILED,
    TUNNEL_REQUESTED,
    TUNNEL_REFUSED,
    TUNNEL_GRANTED,
    TUNNEL_DENIED,
    TUNNEL_OPENED,
    TUNNEL_REVOKED,
    TUNNEL_CLOSED,
    TUNNEL_STEP_REJECTED,
    TUNNEL_CONNECTION_OPENED,
    TUNNEL_CONNECTION_CLOSED,
    TUNNEL_CONNECTION_REFUSED,
    HTTP_USER_CREATED;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
