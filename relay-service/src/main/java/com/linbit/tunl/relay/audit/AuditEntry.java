package com.linbit.tunl.relay.audit;

import java.util.Objects;

/**
 * What happened, before the log gives it a time and a place in the hash chain.
 *
 * @param actor         who acted: an engineer, an HTTP user, {@code customer}, or {@code relay}
 * @param sourceAddress where the actor came from, when known
 * @param reason        a short machine-readable reason code, e.g. {@code unknown-key}
 */
public record AuditEntry(AuditEventType type, String actor, String sourceAddress, String sessionId,
                         String reason, String details) {

    public AuditEntry {
        Objects.requireNonNull(type, "type");
    }

    public static AuditEntry of(AuditEventType type, String actor) {
        return new AuditEntry(type, actor, null, null, null, null);
    }

    public AuditEntry from(String address) {
        return new AuditEntry(type, actor, address, sessionId, reason, details);
    }

    public AuditEntry session(String id) {
        return new AuditEntry(type, actor, sourceAddress, id, reason, details);
    }

    public AuditEntry reason(String code) {
        return new AuditEntry(type, actor, sourceAddress, sessionId, code, details);
    }

    public AuditEntry details(String text) {
        return new AuditEntry(type, actor, sourceAddress, sessionId, reason, text);
    }
}
