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
     * An engineer asks for the tunnel of a session in {@code mode}.
     *
     * @throws TunnelRefusedException restricted session, customer not connected, no key to install
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
        Tunnel tunnel = tunnels.computeIfAbsent(sessionId, id -> new Tunnel());
        synchronized (tunnel) {
            if (tunnel.state == TunnelState.REQUESTED) {
                return Requested.PENDING;
            }
            if (tunnel.state == TunnelState.GRANTED || tunnel.state == TunnelState.OPEN) {
                return Requested.GRANTED;
            }
            if (tunnel.state == TunnelState.CLOSED) {
                refuse(sessionId, engineer, address, "closed", "the session " + sessionId + " is over");
            }
            LiveSession session = live.find(sessionId).orElse(null);
            Instant expiresAt = keyExpiry(sessionId);
            if (session == null || !session.requestTunnel(engineer, publicKeys, expiresAt)) {
                refuse(sessionId, engineer, address, "not-connected",
                        "the customer is not connected; ask again when they are");
            }
            tunnel.state = TunnelState.REQUESTED;
            tunnel.engineer = engineer;
            tunnel.decision = new CompletableFuture<>();
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
        Tunnel tunnel = tunnels.computeIfAbsent(sessionId, id -> new Tunnel());
        TunnelState next;
        String requester;
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
            requester = tunnel.engineer;
            if (tunnel.decision != null) {
                tunnel.decision.complete(next);
                tunnel.decision = null;
            }
        }
        AuditEventType type = switch (next) {
            case GRANTED -> AuditEventType.TUNNEL_GRANTED;
            case DENIED -> AuditEventType.TUNNEL_DENIED;
            default -> AuditEventType.TUNNEL_REVOKED;
        };
        audit.recordLater(AuditEntry.of(type, "customer").session(sessionId).details("for " + requester));
        live.find(sessionId).ifPresent(session -> session.announce("customer " + decision + " " + requester
                + "'s tunnel" + (next == TunnelState.GRANTED ? " (opening)" : "")));
        if (next == TunnelState.REVOKED) {
            events.publishEvent(new TunnelClosed(sessionId, "revoked"));
        }
        return true;
    }

    /** The agent registered its reverse forward: allowed only for a granted (or open) tunnel. */
    public boolean forwardRegistered(String sessionId) {
        Tunnel tunnel = tunnels.get(sessionId);
        if (tunnel == null) {
            rejected(sessionId, "customer", "forward while none");
            return false;
        }
        synchronized (tunnel) {
            if (tunnel.state == TunnelState.OPEN) {
                return true;
            }
            if (tunnel.state != TunnelState.GRANTED) {
                rejected(sessionId, "customer", "forward while " + tunnel.state.wireName());
                return false;
            }
            tunnel.state = TunnelState.OPEN;
        }
        audit.recordLater(AuditEntry.of(AuditEventType.TUNNEL_OPENED, "customer").session(sessionId));
        return true;
    }

    /** The agent's forward went away (cancelled, or its connection dropped) without a revoke. */
    public void forwardGone(String sessionId) {
        Tunnel tunnel = tunnels.get(sessionId);
        if (tunnel == null) {
            return;
        }
        synchronized (tunnel) {
            if (tunnel.state != TunnelState.OPEN) {
                return;
            }
            tunnel.state = TunnelState.GRANTED;
        }
    }

    /** Whether engineers may connect through the session's tunnel right now. */
    public boolean isOpen(String sessionId) {
        return state(sessionId) == TunnelState.OPEN;
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
            if (tunnel.decision != null) {
                tunnel.decision.complete(TunnelState.CLOSED);
            }
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

    private void rejected(String sessionId, String actor, String what) {
        audit.recordLater(AuditEntry.of(AuditEventType.TUNNEL_STEP_REJECTED, actor).session(sessionId).details(what));
    }

    /** One session's tunnel; guarded by its own monitor. */
    private static final class Tunnel {
        private TunnelState state = TunnelState.NONE;
        private String engineer;
        private CompletableFuture<TunnelState> decision;
    }
}
