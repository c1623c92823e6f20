package com.linbit.tunl.relay.audit;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditChainTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:15:30.123456Z");

    @Test
    void hashIsStableHexSha256() {
        String hash = AuditChain.hash(1, AT, "key-added", "admin", null, null, null, "x", AuditChain.GENESIS);
        assertThat(hash).hasSize(64).matches("[0-9a-f]+")
                .isEqualTo(AuditChain.hash(1, AT, "key-added", "admin", null, null, null, "x", AuditChain.GENESIS));
    }

    @Test
    void everyFieldAndThePreviousHashCount() {
        String base = AuditChain.hash(1, AT, "t", "a", "s", "i", "r", "d", AuditChain.GENESIS);
        assertThat(AuditChain.hash(2, AT, "t", "a", "s", "i", "r", "d", AuditChain.GENESIS)).isNotEqualTo(base);
        assertThat(AuditChain.hash(1, AT.plusNanos(1000), "t", "a", "s", "i", "r", "d", AuditChain.GENESIS)).isNotEqualTo(base);
        assertThat(AuditChain.hash(1, AT, "t", "b", "s", "i", "r", "d", AuditChain.GENESIS)).isNotEqualTo(base);
        assertThat(AuditChain.hash(1, AT, "t", "a", "s", "i", "r", "e", AuditChain.GENESIS)).isNotEqualTo(base);
        assertThat(AuditChain.hash(1, AT, "t", "a", "s", "i", "r", "d", "1".repeat(64))).isNotEqualTo(base);
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        assertThat(AuditChain.hash(1, AT, "t", "ab", "c", null, null, null, AuditChain.GENESIS))
                .isNotEqualTo(AuditChain.hash(1, AT, "t", "a", "bc", null, null, null, AuditChain.GENESIS));
        assertThat(AuditChain.hash(1, AT, "t", null, null, null, null, null, AuditChain.GENESIS))
                .isNotEqualTo(AuditChain.hash(1, AT, "t", "-", null, null, null, null, AuditChain.GENESIS));
    }
}
