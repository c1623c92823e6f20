package com.linbit.tunl.relay.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What auditors read: sessions with their participants, events, chat and tunnel history, straight
 * from the tables the relay appends to. Read-only by construction: only selects.
 */
@Component
public class AuditQueries {

    private final JdbcClient jdbc;

    AuditQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Filters; null means any. {@code engineer}: created the session, joined it or chatted in it. */
    public record SessionFilter(Instant from, Instant to, String caseNumber, String engineer, String state) {
    }

    public record SessionRow(String id, String state, String caseNumber, String createdBy, Instant createdAt,
                             Instant claimedAt, Instant closedAt, String closeReason, String mode) {
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    public record Event(long id, Instant occurredAt, String type, String actor, String sourceAddress, String reason,
                        String details) {
    }

    public record ChatLine(Instant sentAt, String author, String text) {
    }

    public record SessionDetail(SessionRow session, String note, String customerHost, String customerAddress,
                                String customerKeyFingerprint, List<String> participants, List<Event> tunnelHistory) {
    }

    public Page<SessionRow> sessions(SessionFilter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> params = new ArrayList<>();
        if (filter.from() != null) {
            where.append(" and s.created_at >= ?");
            params.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            where.append(" and s.created_at < ?");
            params.add(Timestamp.from(filter.to()));
        }
        if (filter.caseNumber() != null) {
            where.append(" and s.case_number = ?");
            params.add(filter.caseNumber());
        }
        if (filter.state() != null) {
            where.append(" and s.state = ?");
            params.add(filter.state());
        }
        if (filter.engineer() != null) {
            where.append(" and (s.created_by = ? or exists (select 1 from audit_event e where e.session_id = s.id"
                    + " and e.type = 'support-joined' and e.actor = ?)"
                    + " or exists (select 1 from chat_message c where c.session_id = s.id and c.author = ?))");
            params.add(filter.engineer());
            params.add(filter.engineer());
            params.add(filter.engineer());
        }
        long total = jdbc.sql("select count(*) from support_session s" + where).params(params).query(Long.class).single();
        List<Object> paged = new ArrayList<>(params);
        paged.add(size);
        paged.add((long) page * size);
        List<SessionRow> items = jdbc.sql("""
                select s.id, s.state, s.case_number, s.created_by, s.created_at, s.claimed_at, s.closed_at,
                       s.close_reason, s.mode
                from support_session s""" + where + " order by s.created_at desc, s.id limit ? offset ?")
                .params(paged).query(AuditQueries::sessionRow).list();
        return new Page<>(items, page, size, total);
    }

    public Optional<SessionDetail> session(String id) {
        return jdbc.sql("""
                select id, state, case_number, created_by, created_at, claimed_at, closed_at, close_reason, mode,
                       note, customer_host, customer_address, customer_key_fingerprint
                from support_session where id = ?""").param(id)
                .query((row, n) -> new SessionDetail(sessionRow(row, n), row.getString("note"), row.getString("customer_host"),
                        row.getString("customer_address"), row.getString("customer_key_fingerprint"),
                        participants(id), events(id, "tunnel-%")))
                .optional();
    }

    public List<Event> events(String sessionId) {
        return events(sessionId, "%");
    }

    public List<ChatLine> chat(String sessionId) {
        return jdbc.sql("select sent_at, author, text from chat_message where session_id = ? order by id").param(sessionId)
                .query((row, n) -> new ChatLine(instant(row, "sent_at"), row.getString("author"), row.getString("text")))
                .list();
    }

    private List<Event> events(String sessionId, String typePattern) {
        return jdbc.sql("""
                select id, occurred_at, type, actor, source_address, reason, details
                from audit_event where session_id = ? and type like ? order by id""")
                .params(sessionId, typePattern)
                .query((row, n) -> new Event(row.getLong("id"), instant(row, "occurred_at"), row.getString("type"),
                        row.getString("actor"), row.getString("source_address"), row.getString("reason"),
                        row.getString("details")))
                .list();
    }

    /** The creator, everyone who joined, and every engineer who chatted. */
    private List<String> participants(String sessionId) {
        return jdbc.sql("""
                select created_by as name from support_session where id = ?
                union select actor from audit_event where session_id = ? and type = 'support-joined'
                union select author from chat_message where session_id = ? and author <> 'customer'
                order by name""")
                .params(sessionId, sessionId, sessionId).query(String.class).list();
    }

    private static SessionRow sessionRow(ResultSet row, int n) throws SQLException {
        return new SessionRow(row.getString("id"), row.getString("state"), row.getString("case_number"),
                row.getString("created_by"), instant(row, "created_at"), instant(row, "claimed_at"),
                instant(row, "closed_at"), row.getString("close_reason"), row.getString("mode"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
