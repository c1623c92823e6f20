package com.linbit.tunl.relay.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.springframework.context.ApplicationEventPublisher;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends events to the audit log. Each event carries the hash of the one before it; appends are
 * serialised by a transaction-scoped advisory lock so replicas sharing one database keep one chain.
 */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    /** Arbitrary but fixed: the advisory lock key that guards the head of the chain. */
    private static final long CHAIN_LOCK = 0x74756e6c_61756474L;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ExecutorService background =
            Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "tunl-audit");
                thread.setDaemon(true);
                return thread;
            });

    private final ApplicationEventPublisher events;

    AuditLog(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Appends now, joining the caller's transaction if there is one. */
    public void record(AuditEntry entry) {
        transactions.executeWithoutResult(status -> append(entry));
        events.publishEvent(new AuditRecorded(entry));
    }

    /**
     * Appends on the audit thread, for callers that must not wait on the database (SSH I/O
     * threads). Events from one caller keep their order.
     */
    public void recordLater(AuditEntry entry) {
        background.execute(() -> {
            try {
                record(entry);
            } catch (RuntimeException e) {
                log.error("Could not append audit event {}", entry.type().code(), e);
            }
        });
    }

    private void append(AuditEntry entry) {
        jdbc.sql("select pg_advisory_xact_lock(?)").param(CHAIN_LOCK).query().singleValue();
        String prevHash = jdbc.sql("select hash from audit_event order by id desc limit 1")
                .query(String.class).optional().orElse(AuditChain.GENESIS);
        long id = jdbc.sql("select nextval('audit_event_id_seq')").query(Long.class).single();
        // PostgreSQL keeps microseconds; hash exactly what is stored.
        Instant occurredAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String type = entry.type().code();
        String hash = AuditChain.hash(id, occurredAt, type, entry.actor(), entry.sourceAddress(),
                entry.sessionId(), entry.reason(), entry.details(), prevHash);
        jdbc.sql("""
                insert into audit_event (id, occurred_at, type, actor, source_address, session_id,
                                         reason, details, prev_hash, hash)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
                .params(id, Timestamp.from(occurredAt), type, entry.actor(), entry.sourceAddress(),
                        entry.sessionId(), entry.reason(), entry.details(), prevHash, hash)
                .update();
    }

    @PreDestroy
    void drain() throws InterruptedException {
        background.shutdown();
        if (!background.awaitTermination(10, TimeUnit.SECONDS)) {
            log.warn("Audit events still queued at shutdown were not written");
        }
    }
}
