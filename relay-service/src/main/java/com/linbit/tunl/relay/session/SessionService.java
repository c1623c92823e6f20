package com.linbit.tunl.relay.session;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.EnumMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Creates, lists and expires support sessions. */
@Service
public class SessionService {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    private static final Pattern CASE_NUMBER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._#/-]{0,63}");
    private static final int MAX_NOTE_LENGTH = 500;
    private static final int MAX_ID_ATTEMPTS = 20;

    private final SupportSessionRepository sessions;
    private final SessionIdGenerator ids;
    private final SessionProperties properties;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    SessionService(SupportSessionRepository sessions, SessionProperties properties, AuditLog audit,
                   TransactionTemplate transactions, Clock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.sessions = sessions;
        this.ids = SessionIdGenerator.fromClasspath();
        this.properties = properties;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Creates a waiting session with a fresh ID that no session, past or present, ever had. */
    public SupportSession create(String engineer, String caseNumber, String note, String sourceAddress) {
        String checkedCase = checkCase(caseNumber);
        String checkedNote = checkNote(note);
        long open = sessions.countByCreatedByAndStateIn(engineer,
                EnumSet.of(SessionState.WAITING, SessionState.ACTIVE, SessionState.RECONNECTING));
        if (open >= properties.maxOpenPerEngineer()) {
            audit.record(AuditEntry.of(AuditEventType.SESSION_REFUSED, engineer).from(sourceAddress)
                    .reason("too-many-sessions").details(open + " open, limit " + properties.maxOpenPerEngineer()));
            throw new InvalidSessionRequestException("you have " + open + " open sessions, the most one engineer may have;"
                    + " sessions you no longer need close when the customer ends them, or an admin can close them");
        }
        for (int attempt = 1; attempt <= MAX_ID_ATTEMPTS; attempt++) {
            String id = ids.next();
            try {
                return transactions.execute(status -> {
                    if (sessions.existsById(id)) {
                        throw new DataIntegrityViolationException("session id taken: " + id);
                    }
                    Instant now = clock.instant();
                    SupportSession session = sessions.saveAndFlush(new SupportSession(id, checkedCase,
                            checkedNote, engineer, now, now.plus(properties.claimTimeout())));
                    audit.record(AuditEntry.of(AuditEventType.SESSION_CREATED, engineer)
                            .from(sourceAddress).session(id)
                            .details(checkedCase == null ? null : "case=" + checkedCase));
                    return session;
                });
            } catch (DataIntegrityViolationException collision) {
                log.debug("Session ID collision on attempt {}, drawing again", attempt);
            }
        }
        throw new IllegalStateException("could not draw an unused session ID in " + MAX_ID_ATTEMPTS + " attempts");
    }

    public java.util.Optional<SupportSession> find(String id) {
        return sessions.findById(id);
    }

    /**
     * A customer agent claims (first connect) or resumes a session with its key. The first claim
     * binds the key; afterwards only that key gets in. The mode may stay or step down, never up.
     *
     * @throws SessionUnavailableException unknown, closed, or bound to another key
     * @throws ModeRefusedException        a higher mode than the session has
     */
    public SupportSession claim(String id, String keyFingerprint, SessionMode mode, String host, String address) {
        return transactions.execute(status -> {
            SupportSession session = sessions.lockById(id)
                    .orElseThrow(() -> new SessionUnavailableException("unknown-session"));
            if (session.getState() == SessionState.CLOSED) {
                throw new SessionUnavailableException("closed-session");
            }
            Instant now = clock.instant();
            if (session.getState() == SessionState.WAITING && now.isAfter(session.getClaimDeadline())) {
                throw new SessionUnavailableException("expired-session");
            }
            if (session.getState() == SessionState.WAITING) {
                session.claim(keyFingerprint, mode, host, address, now);
                audit.record(AuditEntry.of(AuditEventType.SESSION_CLAIMED, "customer").from(address).session(id)
                        .details("host=" + host + " mode=" + mode.wireName() + " key=" + keyFingerprint));
                return session;
            }
            if (!keyFingerprint.equals(session.getCustomerKeyFingerprint())) {
                throw new SessionUnavailableException("wrong-key");
            }
            SessionMode current = session.getMode();
            if (mode.compareTo(current) > 0) {
                throw new ModeRefusedException(current, mode);
            }
            session.claim(keyFingerprint, mode, host, address, now);
            if (mode != current) {
                audit.record(AuditEntry.of(AuditEventType.MODE_LOWERED, "customer").from(address).session(id)
                        .details(current.wireName() + " -> " + mode.wireName()));
            }
            audit.record(AuditEntry.of(AuditEventType.SESSION_RESUMED, "customer").from(address).session(id)
                    .details("host=" + host));
            return session;
        });
    }

    /** The agent's connection dropped; the session waits for it to come back. */
    public void agentDisconnected(String id) {
        transactions.executeWithoutResult(status -> sessions.lockById(id)
                .filter(session -> session.getState() == SessionState.ACTIVE)
                .ifPresent(session -> {
                    session.disconnected(clock.instant());
                    audit.record(AuditEntry.of(AuditEventType.SESSION_RECONNECTING, "relay").session(id));
                }));
    }

    /**
     * At start no agent is connected to this relay: sessions another run left active wait for
     * their agents to reconnect, and the restart is audited. Returns how many were waiting.
     */
    public int relayStarted(String relayVersion) {
        Instant now = clock.instant();
        int waiting = 0;
        for (SupportSession active : sessions.findByStateInOrderByCreatedAtAsc(EnumSet.of(SessionState.ACTIVE))) {
            Boolean marked = transactions.execute(status -> sessions.lockById(active.getId())
                    .filter(session -> session.getState() == SessionState.ACTIVE)
                    .map(session -> {
                        session.disconnected(now);
                        audit.record(AuditEntry.of(AuditEventType.SESSION_RECONNECTING, "relay").session(session.getId())
                                .reason("relay-restart"));
                        return true;
                    }).orElse(false));
            waiting += Boolean.TRUE.equals(marked) ? 1 : 0;
        }
        int reconnecting = (int) sessions.countByState(SessionState.RECONNECTING);
        audit.record(AuditEntry.of(AuditEventType.RELAY_STARTED, "relay").details("version=" + relayVersion
                + " sessions-waiting-for-customers=" + reconnecting));
        return waiting;
    }

    /** Closes sessions whose customer did not come back within {@code tunl.session.reconnect-timeout}. */
    @Scheduled(fixedDelayString = "${tunl.session.expiry-check-interval:30s}")
    public void closeAbandoned() {
        Instant cutoff = clock.instant().minus(properties.reconnectTimeout());
        for (SupportSession gone : sessions.findByStateAndDisconnectedAtBefore(SessionState.RECONNECTING, cutoff)) {
            close(gone.getId(), "customer-lost", "relay");
        }
    }

    /** Keeps the tunnel the customer granted, so it outlives agent reconnects and relay restarts. */
    public void tunnelGranted(String id, String engineer, Instant expiresAt) {
        transactions.executeWithoutResult(status -> sessions.lockById(id)
                .ifPresent(session -> session.tunnelGranted(engineer, expiresAt)));
    }

    /** The grant is over (revoked, denied, replaced). */
    public void tunnelEnded(String id) {
        transactions.executeWithoutResult(status -> sessions.lockById(id)
                .filter(session -> session.getTunnelEngineer() != null)
                .ifPresent(session -> session.tunnelGranted(null, null)));
    }

    /** When {@code engineer}'s tunnel grant in session {@code id} expires, if they hold one that has not. */
    public java.util.Optional<Instant> tunnelGrant(String id, String engineer) {
        return sessions.findById(id)
                .filter(session -> session.getState().isOpen() && engineer.equals(session.getTunnelEngineer()))
                .map(SupportSession::getTunnelExpiresAt)
                .filter(expiresAt -> expiresAt != null && expiresAt.isAfter(clock.instant()));
    }

    /** Closes a session for good; returns false when it was closed already. */
    public boolean close(String id, String reason, String actor) {
        boolean closed = Boolean.TRUE.equals(transactions.execute(status -> sessions.lockById(id)
                .filter(session -> session.getState().isOpen())
                .map(session -> {
                    session.close(clock.instant(), reason);
                    audit.record(AuditEntry.of(AuditEventType.SESSION_CLOSED, actor).session(id).reason(reason));
                    return true;
                })
                .orElse(false)));
        if (closed) {
            events.publishEvent(SessionEnded.of(id, reason));
        }
        return closed;
    }

    /** Sessions that are not closed, oldest first. */
    public List<SupportSession> openSessions() {
        return sessions.findByStateInOrderByCreatedAtAsc(
                EnumSet.of(SessionState.WAITING, SessionState.ACTIVE, SessionState.RECONNECTING));
    }

    /** Closed sessions, newest first, optionally of one case and/or one creator. */
    public List<SupportSession> history(String caseNumber, String createdBy, int limit) {
        return sessions.findClosed(caseNumber, createdBy, org.springframework.data.domain.Limit.of(limit));
    }

    public List<SupportSession> sessionsIn(SessionState state) {
        return sessions.findByStateInOrderByCreatedAtAsc(EnumSet.of(state));
    }

    public Map<SessionState, Long> countsByState() {
        Map<SessionState, Long> counts = new EnumMap<>(SessionState.class);
        for (SessionState state : SessionState.values()) {
            counts.put(state, sessions.countByState(state));
        }
        return counts;
    }

    /** Closes waiting sessions no customer claimed in time. */
    @Scheduled(fixedDelayString = "${tunl.session.expiry-check-interval:30s}")
    public void expireUnclaimed() {
        Instant now = clock.instant();
        for (SupportSession stale : sessions.findByStateAndClaimDeadlineBefore(SessionState.WAITING, now)) {
            boolean expired = Boolean.TRUE.equals(transactions.execute(status -> sessions.lockById(stale.getId())
                    .filter(session -> session.getState() == SessionState.WAITING)
                    .map(session -> {
                        session.close(now, "expired");
                        audit.record(AuditEntry.of(AuditEventType.SESSION_EXPIRED, "relay")
                                .session(session.getId()).reason("expired"));
                        return true;
                    })
                    .orElse(false)));
            if (expired) {
                events.publishEvent(SessionEnded.of(stale.getId(), "expired"));
            }
        }
    }

    /** Closes claimed sessions that ran for {@code tunl.session.max-duration}. */
    @Scheduled(fixedDelayString = "${tunl.session.expiry-check-interval:30s}")
    public void closeOverdue() {
        Instant cutoff = clock.instant().minus(properties.maxDuration());
        for (SupportSession overdue : sessions.findByStateInAndClaimedAtBefore(
                EnumSet.of(SessionState.ACTIVE, SessionState.RECONNECTING), cutoff)) {
            close(overdue.getId(), "max-duration", "relay");
        }
    }

    /**
     * The latest moment {@code session} can still be open: its claim (or now, before one) plus
     * {@code tunl.session.max-duration}.
     */
    public Instant latestEnd(SupportSession session) {
        Instant start = session.getClaimedAt() != null ? session.getClaimedAt() : clock.instant();
        return start.plus(properties.maxDuration());
    }

    private static String checkCase(String caseNumber) {
        if (caseNumber == null || caseNumber.isEmpty()) {
            return null;
        }
        if (!CASE_NUMBER.matcher(caseNumber).matches()) {
            throw new InvalidSessionRequestException("case must be 1-64 characters of letters, digits"
                    + " and . _ # / - (got \"" + printable(caseNumber) + "\")");
        }
        return caseNumber;
    }

    private static String checkNote(String note) {
        if (note == null || note.isBlank()) {
            return null;
        }
        if (note.length() > MAX_NOTE_LENGTH) {
            throw new InvalidSessionRequestException("note is longer than " + MAX_NOTE_LENGTH + " characters");
        }
        if (note.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidSessionRequestException("note must be one line of plain text");
        }
        return note;
    }

    private static String printable(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
