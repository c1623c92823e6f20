package com.linbit.tunl.relay.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Walks the audit chain from the first event: each row's hash must be the hash of its own content
 * and the previous row's hash, and each row must name the previous row's hash. The first row
 * where either fails is where the log was changed.
 */
@Component
public class AuditVerifier {

    private final JdbcClient jdbc;

    AuditVerifier(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The outcome: how many events check out, and the first one that does not (if any). */
    public record Verification(boolean intact, long verified, Long brokenAtId, String problem) {
        static Verification intact(long verified) {
            return new Verification(true, verified, null, null);
        }
    }

    /** Reads the whole log in one consistent snapshot, row by row, never holding it all in memory. */
    @Transactional(readOnly = true)
    public Verification verify() {
        long[] verified = {0};
        String[] previous = {AuditChain.GENESIS};
        AtomicReference<Verification> broken = new AtomicReference<>();
        jdbc.sql("""
                select id, occurred_at, type, actor, source_address, session_id, reason, details, prev_hash, hash
                from audit_event order by id""")
                .query((ResultSet row) -> {
                    if (broken.get() == null) {
                        Verification problem = check(row, previous[0]);
                        if (problem != null) {
                            broken.set(new Verification(false, verified[0], problem.brokenAtId(), problem.problem()));
                        } else {
                            verified[0]++;
                            previous[0] = row.getString("hash");
                        }
                    }
                });
        return broken.get() != null ? broken.get() : Verification.intact(verified[0]);
    }

    private static Verification check(ResultSet row, String expectedPrevious) throws SQLException {
        long id = row.getLong("id");
        String prevHash = row.getString("prev_hash");
        if (!expectedPrevious.equals(prevHash)) {
            return new Verification(false, 0, id, "event " + id + " does not follow the event before it (an event was removed or inserted)");
        }
        Instant occurredAt = row.getObject("occurred_at", java.time.OffsetDateTime.class).toInstant();
        String recomputed = AuditChain.hash(id, occurredAt, row.getString("type"), row.getString("actor"),
                row.getString("source_address"), row.getString("session_id"), row.getString("reason"),
                row.getString("details"), prevHash);
        if (!recomputed.equals(row.getString("hash"))) {
            return new Verification(false, 0, id, "event " + id + " was changed after it was written");
        }
        return null;
    }
}
