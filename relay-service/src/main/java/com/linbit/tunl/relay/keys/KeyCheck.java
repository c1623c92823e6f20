package com.linbit.tunl.relay.keys;

/**
 * The outcome of a public-key login check: accepted with the key's id, or refused with a reason
 * code for the audit log.
 */
public record KeyCheck(boolean accepted, long keyId, String fingerprint, String refusal) {

    public static final String UNKNOWN_USER = "unknown-user";
    public static final String UNKNOWN_KEY = "unknown-key";
    public static final String REVOKED_KEY = "revoked-key";

    static KeyCheck accepted(long keyId, String fingerprint) {
        return new KeyCheck(true, keyId, fingerprint, null);
    }

    static KeyCheck refused(String reason) {
        return new KeyCheck(false, -1, null, reason);
    }
}
