package com.linbit.tunl.relay.ssh;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;

/**
 * Per source address: at most {@code maxConnections} SSH connections at once (more are closed on
 * arrival, audited {@code too-many-connections}), and at most {@code maxUnknownSessions} customer
 * connections a minute naming a session that does not exist, is closed or belongs to another key;
 * past that every claim from the address is refused the same way for the rest of the minute, so
 * session IDs cannot be guessed by trying. All in memory, cheap enough for MINA's I/O threads.
 */
public final class AddressLimits implements SessionListener {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int maxConnections;
    private final int maxUnknownSessions;
    private final AuditLog audit;
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Map<String, Deque<Long>> unknownSessions = new ConcurrentHashMap<>();

    AddressLimits(int maxConnections, int maxUnknownSessions, AuditLog audit) {
        this.maxConnections = maxConnections;
        this.maxUnknownSessions = maxUnknownSessions;
        this.audit = audit;
    }

    @Override
    public void sessionCreated(Session session) {
        String address = SshSessions.sourceAddress(session);
        int open = connections.computeIfAbsent(address, key -> new AtomicInteger()).incrementAndGet();
        session.setAttribute(SshSessions.COUNTED_ADDRESS, address);
        if (open > maxConnections) {
            audit.recordLater(AuditEntry.of(AuditEventType.CONNECTION_REFUSED, "unknown").from(address)
                    .reason("too-many-connections").details(open - 1 + " open from this address, limit " + maxConnections));
            session.close(true);
        }
    }

    @Override
    public void sessionClosed(Session session) {
        String address = session.getAttribute(SshSessions.COUNTED_ADDRESS);
        if (address != null) {
            connections.computeIfPresent(address, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }

    /** Whether {@code address} already used up its attempts at unknown sessions this minute. */
    public boolean unknownSessionsExhausted(String address) {
        Deque<Long> attempts = unknownSessions.get(address);
        if (attempts == null) {
            return false;
        }
        synchronized (attempts) {
            forgetOld(attempts, System.nanoTime());
            return attempts.size() >= maxUnknownSessions;
        }
    }

    /** A claim from {@code address} named a session it may not have. */
    public void unknownSessionAttempt(String address) {
        Deque<Long> attempts = unknownSessions.computeIfAbsent(address, key -> new ArrayDeque<>());
        synchronized (attempts) {
            long now = System.nanoTime();
            forgetOld(attempts, now);
            attempts.addLast(now);
        }
        if (unknownSessions.size() > 10_000) {
            unknownSessions.entrySet().removeIf(entry -> {
                synchronized (entry.getValue()) {
                    forgetOld(entry.getValue(), System.nanoTime());
                    return entry.getValue().isEmpty();
                }
            });
        }
    }

    private static void forgetOld(Deque<Long> attempts, long now) {
        while (!attempts.isEmpty() && now - attempts.peekFirst() > MINUTE_NANOS) {
            attempts.pollFirst();
        }
    }
}
