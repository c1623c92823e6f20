package com.linbit.tunl.relay.session;

/**
 * The customer cannot have this session. Every cause gets the same public message, so a caller
 * learns nothing about which IDs exist; {@link #reason()} is for the audit log only.
 */
public class SessionUnavailableException extends RuntimeException {

    public static final String PUBLIC_MESSAGE = "session not found or already closed — ask support for a new session ID";

    private final String reason;

    SessionUnavailableException(String reason) {
        super(PUBLIC_MESSAGE);
        this.reason = reason;
    }

    /** {@code unknown-session}, {@code closed-session}, {@code expired-session} or {@code wrong-key}. */
    public String reason() {
        return reason;
    }
}
