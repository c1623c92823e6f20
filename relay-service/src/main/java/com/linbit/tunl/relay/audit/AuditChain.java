package com.linbit.tunl.relay.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The canonical form of an audit event and its hash. Each field is length-prefixed so no choice
 * of values can make two different events hash alike.
 */
final class AuditChain {

    /** The previous hash of the very first event. */
    static final String GENESIS = "0".repeat(64);
    /** Always six fractional digits, so a verifier elsewhere renders the same text. */
    private static final java.time.format.DateTimeFormatter TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private AuditChain() {
    }

    static String hash(long id, Instant occurredAt, String type, String actor, String sourceAddress,
                       String sessionId, String reason, String details, String prevHash) {
        StringBuilder canonical = new StringBuilder(256);
        field(canonical, "id", Long.toString(id));
        field(canonical, "occurred_at", TIMESTAMP.format(occurredAt));
        field(canonical, "type", type);
        field(canonical, "actor", actor);
        field(canonical, "source_address", sourceAddress);
        field(canonical, "session_id", sessionId);
        field(canonical, "reason", reason);
        field(canonical, "details", details);
        field(canonical, "prev_hash", prevHash);
        return sha256(canonical.toString());
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(name).append('=');
        if (value == null) {
            out.append('-');
        } else {
            out.append(value.length()).append(':').append(value);
        }
        out.append('\n');
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
