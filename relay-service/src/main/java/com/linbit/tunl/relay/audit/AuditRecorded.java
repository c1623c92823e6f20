package com.linbit.tunl.relay.audit;

/** Published after an audit event was appended (metrics count them). */
public record AuditRecorded(AuditEntry entry) {
}
