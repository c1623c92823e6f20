package com.linbit.tunl.relay.session;

/**
 * Published after a session is closed for good.
 *
 * @param reason  machine-readable: {@code customer}, {@code expired}, {@code admin}, ...
 * @param message what people still attached are told, e.g. "session ended by customer"
 */
public record SessionEnded(String sessionId, String reason, String message) {

    static SessionEnded of(String sessionId, String reason) {
        String message = switch (reason) {
            case "customer" -> "session ended by customer";
            case "expired" -> "session expired before the customer connected";
            case "max-duration" -> "session reached its maximum duration";
            case "recording-failed" -> "session ended: the relay could not record it";
            case "admin" -> "session closed by an administrator";
            case "idle" -> "session ended after a long time without input or output";
            case "customer-lost" -> "session ended: the customer's machine did not reconnect";
            default -> "session ended (" + reason + ")";
        };
        return new SessionEnded(sessionId, reason, message);
    }
}
