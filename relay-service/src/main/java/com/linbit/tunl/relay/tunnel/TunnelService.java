package com.linbit.tunl.relay.tunnel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.keys.KeyRegistry;
import com.linbit.tunl.relay.live.LiveSession;
import com.linbit.tunl.relay.live.LiveSessions;
import com.linbit.tunl.relay.session.SessionEnded;
import com.linbit.tunl.relay.session.SessionMode;
import com.linbit.tunl.relay.session.SessionService;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Every session's tunnel as a state machine ({@link TunnelState}). Engineers ask, the customer's
 * agent decides and registers the forward, revokes, and the session's end closes it; each step is
 * checked against the current state, so a late, repeated or out-of-order step is rejected and
 * audited instead of acted on.
 */
@Service
public class TunnelService {

    private final Map<String, Tunnel> tunnels = new ConcurrentHashMap<>();
    private final LiveSessions live;
    private final SessionService sessions;
    private final KeyRegistry keys;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TunnelProperties properties;
    private final Clock clock;

    TunnelService(LiveSessions live, SessionService sessions, KeyRegistry keys, AuditLog audit,
                  ApplicationEventPublisher events, TunnelProperties properties, Clock clock) {
        this.live = live;
        this.sessions = sessions;
        this.keys = keys;
        this.audit = audit;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /** What became of a request. */
    public enum Requested {
        /** Sent to the customer, who decides now. */
        ASKED,
        /** Someone already asked and the customer has not answered; nothing new was sent. */
        PENDING,
        /** The tunnel is granted or open already. */
        GRANTED
    }

    /**
     * An engineer asks for the tunnel of a session in {@code mode}. A tunnel belongs to the one
     * engineer the customer granted it to; others are told whose it is.
     *
     * @throws TunnelRefusedException restricted session, customer not connected, no key to install,
     *                                another engineer's request or tunnel
     */
    public Requested request(String sessionId, String engineer, SessionMode mode, String address) {
        if (mode == null) {
            refuse(sessionId, engineer, address, "not-connected", "the customer is not connected; ask again when they are");
        }
        if (!mode.allowsInput()) {
            refuse(sessionId, engineer, address, "restricted",
                    "restricted session: the customer did not allow tunnels for " + sessionId);
        }
        List<String> publicKeys = keys.publicKeyLines(engineer);
        if (publicKeys.isEmpty()) {
            refuse(sessionId, engineer, address, "no-key", "you have no registered public key to install");
        }
        LiveSession session = live.find(sessionId).filter(LiveSession::agentConnected).orElse(null);
        if (session == null || session.isEnded()) {
            refuse(sessionId, engineer, address, "not-connected", "the customer is not connected; ask again when they are");
        }
        // Everything that may wait (the database, the agent link) happens outside the tunnel's lock,
        // which MINA's I/O threads take when they ask the gate.
        Instant expiresAt = keyExpiry(sessionId);
        Tunnel tunnel = tunnels.computeIfAbsent(sessionId, id -> new Tunnel());
        CompletableFuture<TunnelState> decision;
        synchronized (tunnel) {
            if (tunnel.state == TunnelState.REQUESTED || tunnel.state == TunnelState.GRANTED || tunnel.state == TunnelState.OPEN) {
                if (!engineer.equals(tunnel.engineer)) {
                    refuse(sessionId, engineer, address, "other-engineer", "the tunnel of " + sessionId + " is "
                            + tunnel.state.wireName() + " for " + tunnel.engineer + "; one engineer at a time");
                }
                return tunnel.state == TunnelState.REQUESTED ? Requested.PENDING : Requested.GRANTED;
            }
            tunnel.state = TunnelState.REQUESTED;
            tunnel.engineer = engineer;
            tunnel.expiresAt = expiresAt;
            decision = new CompletableFuture<>();
            tunnel.decision = decision;
        }
        if (!session.requestTunnel(engineer, publicKeys, expiresAt)) {
            synchronized (tunnel) {
                if (tunnel.decision == decision) {
                    tunnel.state = TunnelState.NONE;
                    tunnel.decision = null;
                }
            }
            decision.complete(TunnelState.NONE);
            refuse(sessionId, engineer, address, "not-connected", "the customer is not connected; ask again when they are");
        }
        audit.recordLater(AuditEntry.of(AuditEventType.TUNNEL_REQUESTED, engineer).from(address).session(sessionId));
        return Requested.ASKED;
    }

    /** Waits for the customer's answer to the pending request; the state after it (or REQUESTED on timeout). */
    public TunnelState awaitDecision(String sessionId, Duration patience) throws InterruptedException {
        Tunnel tunnel = tunnels.get(sessionId);
        if (tunnel == null) {
            return TunnelState.NONE;
        }
        CompletableFuture<TunnelState> decision;
        synchronized (tunnel) {
            decision = tunnel.decision;
            if (decision == null) {
                return tunnel.state;
            }
        }
        try {
            return decision.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return TunnelState.REQUESTED;
        } catch (ExecutionException e) {
            return state(sessionId);
        }
    }

    public Duration decisionWait() {
        return properties.decisionWait();
    }

    /** The customer's agent granted, denied or revoked; false (and audited) when that step does not fit. */
    public boolean agentDecided(String sessionId, String decision, String engineer) {
        if (decision.equals("resumed")) {
            return agentResumed(sessionId, engineer);
        }
        Tunnel tunnel = tunnels.get(sessionId);
        if (tunnel == null) {
            rejected(sessionId, "customer", decision + " for " + engineer + " while none");
            return false;
        }
        TunnelState next;
        synchronized (tunnel) {
            TunnelState from = tunnel.state;
            next = switch (decision) {
                case "granted" -> from == TunnelState.REQUESTED ? TunnelState.GRANTED : null;
                case "denied" -> from == TunnelState.REQUESTED ? TunnelState.DENIED : null;
                case "revoked" -> from == TunnelState.GRANTED || from == TunnelState.OPEN ? TunnelState.REVOKED : null;
                default -> null;
            };
            if (next == null || !engineer.equals(tunnel.engineer)) {
                rejected(sessionId, "customer", decision + " for " + engineer + " while " + from.wireName()
                        + (tunnel.engineer == null ? "" : " (" + tunnel.engineer + "'s tunnel)"));
                return false;
            }
            tunnel.state = next;
            complete(tunnel, next);
        }
        AuditEventType type = switch (next) {
            case GRANTED -> AuditEventType.TUNNEL_GRANTED;
            case DENIED -> AuditEventType.TUNNEL_DENIED;
            default -> AuditEventType.TUNNEL_REVOKED;
        };
        audit.recordLater(AuditEntry.of(type, "customer").session(sessionId).details("for " + engineer));
        if (next == TunnelState.GRANTED) {
            sessions.tunnelGranted(sessionId, engineer, tunnel.expiresAt);
        } else if (next == TunnelState.REVOKED) {
            sessions.tunnelEnded(sessionId);
        }
        live.find(sessionId).ifPresent(session -> session.announce("customer " + decision + " " + engineer
                + "'s tunnel" + (next == TunnelState.GRANTED ? " (opening)" : "")));
        if (next == TunnelState.REVOKED) {
            events.publishEvent(new TunnelClosed(sessionId, "revoked"));
        }
        return true;
    }

    /**
     * The agent reconnected and still holds the grant it had (the key is still in its
     * authorized_keys): the tunnel carries on once its forward is registered again. Accepted for
     * the engineer the tunnel was granted to, from this relay's memory or, after a restart, from
     * the grant kept in the database while it has not expired.
     */
    private boolean agentResumed(String sessionId, String engineer) {
        Tunnel tunnel = tunnels.computeIfAbsent(sessionId, id -> new Tunnel());
        Instant now = clock.instant();
        // The database is asked outside the tunnel's lock (MINA's I/O threads take it).
        Instant kept = sessions.tunnelGrant(sessionId, engineer).orElse(null);
        boolean resumed;
        synchronized (tunnel) {
            boolean held = (tunnel.state == TunnelState.GRANTED || tunnel.state == TunnelState.OPEN)
                    && engineer.equals(tunnel.engineer) && (tunnel.expiresAt == null || tunnel.expiresAt.isAfter(now));
            boolean restored = tunnel.state == TunnelState.NONE && kept != null;
            resumed = held || restored;
            if (restored) {
                tunnel.state = TunnelState.GRANTED;
                tunnel.engineer = engineer;
                tunnel.expiresAt = kept;
            }
        }
        if (!resumed) {
            rejected(sessionId, "customer", "resumed for " + engineer + " while no grant of theirs is kept");
            return false;
        }
        audit.recordLater(AuditEntry.of(AuditEventType.TUNNEL_RESUMED, "customer").session(sessionId).details("for " + engineer));
        return true;
    }

    /**
     * The agent's connection dropped; it keeps the grant and asks to resume it when back, so a
     * granted tunnel waits (its forward is gone with the connection, and with it every live
     * connection through it); a pending request is answered, since nobody is there to decide.
     */
    public void agentAway(String sessionId) {
        forwardGone(sessionId);
        Tunnel tunnel = tunnels.get(sessionId);
        if (tunnel == null) {
            return;
        }
        synchronized (tunnel) {
            if (tunnel.state == TunnelState.REQUESTED) {
                tunnel.state = TunnelState.NONE;
                tunnel.engineer = null;
                complete(tunnel, TunnelState.NONE);
            }
        }
    }

    /** May the session's claimed agent register its forward now? Only for a granted (or open) tunnel. */
    public boolean mayForward(String sessionId) {
        TunnelState state = state(sessionId);
        if (state == TunnelState.GRANTED || state == TunnelState.OPEN) {
            return true;
        }
        rejected(sessionId, "customer", "forward while " + state.wireName());
        return false;
    }

    /** The agent's forward is registered: the tunnel is open. */
    public void forwardOpened(String sessionId) {
        Tunnel tunnel = tunnels.get(sessionId);
        if (tunnel == null) {
            return;
        }
        synchronized (tunnel) {
            if (tunnel.state != TunnelState.GRANTED) {
                return;
            }
            tunnel.state = TunnelState.OPEN;
        }
        audit.recordLater(AuditEntry.of(AuditEventType.TUNNEL_OPENED, "customer").session(sessionId));
    }

    /** The agent's forward went away (cancelled, or its connection dropped) without a revoke. */
    public void forwardGone(String sessionId) {
        Tunnel tunnel = tunnels.get(sessionId);
        if (tunnel == null) {
            return;
        }
        synchronized (tunnel) {
            if (tunnel.state == TunnelState.OPEN) {
                tunnel.state = TunnelState.GRANTED;
            }
        }
    }

    /**
     * A new run of the session's agent took over: whatever an earlier run was granted or asked went
     * with it (a new run sweeps its keys at start), so the tunnel starts over; live connections are
     * cut and a waiting {@code request-tunnel} is answered.
     */
    public void agentChanged(String sessionId, String reason) {
        // Also when this relay has no tunnel in memory (it restarted): the kept grant goes too.
        sessions.tunnelEnded(sessionId);
        Tunnel tunnel = tunnels.get(sessionId);
        if (tunnel == null) {
            return;
        }
        TunnelState was;
        synchronized (tunnel) {
            was = tunnel.state;
            if (was == TunnelState.NONE || was == TunnelState.CLOSED) {
                return;
            }
            tunnel.state = TunnelState.NONE;
            tunnel.engineer = null;
            complete(tunnel, TunnelState.NONE);
        }
        if (was == TunnelState.GRANTED || was == TunnelState.OPEN) {
            audit.recordLater(AuditEntry.of(AuditEventType.TUNNEL_CLOSED, "relay").session(sessionId).reason(reason));
            events.publishEvent(new TunnelClosed(sessionId, reason));
        }
    }

    /** Whether {@code engineer} may connect through the session's tunnel right now: open, and theirs. */
    public boolean isOpenFor(String sessionId, String engineer) {
        Tunnel tunnel = tunnels.get(sessionId);
        if (tunnel == null) {
            return false;
        }
        synchronized (tunnel) {
            return tunnel.state == TunnelState.OPEN && engineer.equals(tunnel.engineer);
        }
    }

    /** Tunnels open (forward registered) right now. */
    public int openCount() {
        int open = 0;
        for (Tunnel tunnel : tunnels.values()) {
            synchronized (tunnel) {
                open += tunnel.state == TunnelState.OPEN ? 1 : 0;
            }
        }
        return open;
    }

    public TunnelState state(String sessionId) {
        Tunnel tunnel = tunnels.get(sessionId);
        if (tunnel == null) {
            return TunnelState.NONE;
        }
        synchronized (tunnel) {
            return tunnel.state;
        }
    }

    @EventListener
    void sessionEnded(SessionEnded ended) {
        Tunnel tunnel = tunnels.remove(ended.sessionId());
        if (tunnel == null) {
            return;
        }
        TunnelState was;
        synchronized (tunnel) {
            was = tunnel.state;
            tunnel.state = TunnelState.CLOSED;
            complete(tunnel, TunnelState.CLOSED);
        }
        if (was == TunnelState.GRANTED || was == TunnelState.OPEN) {
            audit.recordLater(AuditEntry.of(AuditEventType.TUNNEL_CLOSED, "relay").session(ended.sessionId())
                    .reason("session-ended"));
        }
        events.publishEvent(new TunnelClosed(ended.sessionId(), "session ended"));
    }

    /** The key lifetime, but never past the latest moment the session can end. */
    private Instant keyExpiry(String sessionId) {
        Instant byLifetime = clock.instant().plus(properties.keyLifetime());
        return sessions.find(sessionId).map(sessions::latestEnd)
                .filter(latestEnd -> latestEnd.isBefore(byLifetime))
                .orElse(byLifetime);
    }

    private void refuse(String sessionId, String engineer, String address, String reason, String message) {
        audit.recordLater(AuditEntry.of(AuditEventType.TUNNEL_REFUSED, engineer).from(address).session(sessionId).reason(reason));
        throw new TunnelRefusedException(message);
    }

    private static void complete(Tunnel tunnel, TunnelState outcome) {
        if (tunnel.decision != null) {
            tunnel.decision.complete(outcome);
            tunnel.decision = null;
        }
    }

    private void rejected(String sessionId, String actor, String what) {
        audit.recordLater(AuditEntry.of(AuditEventType.TUNNEL_STEP_REJECTED, actor).session(sessionId).details(what));
    }

    /** One session's tunnel; guarded by its own monitor. */
    private static final class Tunnel {
        private TunnelState state = TunnelState.NONE;
        private String engineer;
        private Instant expiresAt;
        private CompletableFuture<TunnelState> decision;
    }
}
