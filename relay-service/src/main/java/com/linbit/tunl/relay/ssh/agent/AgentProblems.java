package com.linbit.tunl.relay.ssh.agent;

import java.util.Optional;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.chat.ChatText;

/**
 * What one agent connection reports it could not do (AGENT_NOTICE): made plain text, audited as
 * {@code agent-problem} and passed on to the engineers, at most {@link #BURST} at once and then one
 * every {@link #REFILL_MILLIS}; a flood from a faulty agent is dropped, not queued.
 */
final class AgentProblems {

    static final int BURST = 5;
    static final long REFILL_MILLIS = 10_000;
    private static final int MAX_SHOWN = 300;

    private final AuditLog audit;
    private final String sessionId;
    private final String address;
    private final String host;
    private double tokens = BURST;
    private long refilledAt = System.nanoTime();

    AgentProblems(AuditLog audit, String sessionId, String address, String host) {
        this.audit = audit;
        this.sessionId = sessionId;
        this.address = address;
        this.host = host;
    }

    /** The line for the engineers, or empty when this connection has reported too much lately. */
    Optional<String> reported(String text) {
        if (!take()) {
            return Optional.empty();
        }
        String plain = ChatText.neutralise(text);
        String shown = plain.length() > MAX_SHOWN ? plain.substring(0, MAX_SHOWN) + "..." : plain;
        audit.record(AuditEntry.of(AuditEventType.AGENT_PROBLEM, "customer").from(address).session(sessionId)
                .details(shown));
        return Optional.of("the customer's agent on " + host + ": " + shown);
    }

    private boolean take() {
        long now = System.nanoTime();
        tokens = Math.min(BURST, tokens + (now - refilledAt) / 1_000_000.0 / REFILL_MILLIS);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
