package com.linbit.tunl.relay.metrics;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditRecorded;
import com.linbit.tunl.relay.live.LiveSessions;
import com.linbit.tunl.relay.live.Traffic;
import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.session.SessionState;
import com.linbit.tunl.relay.ssh.RelaySshServer;
import com.linbit.tunl.relay.ssh.SupportConnections;
import com.linbit.tunl.relay.ssh.tunnel.VirtualForwards;
import com.linbit.tunl.relay.tunnel.TunnelService;

/**
 * The relay's meters at {@code /actuator/prometheus} (docs/operations.md, "Metrics"). Session
 * counts come from the database, refreshed every 15 s rather than on every scrape; everything
 * else is read from memory when scraped, or counted as audit events are written.
 */
@Component
class RelayMetrics {

    private final MeterRegistry registry;
    private final SessionService sessions;
    private final Map<SessionState, AtomicLong> byState = new EnumMap<>(SessionState.class);

    RelayMetrics(MeterRegistry registry, SessionService sessions, LiveSessions live, TunnelService tunnels,
                 SupportConnections connections, RelaySshServer ssh) {
        this.registry = registry;
        this.sessions = sessions;
        for (SessionState state : SessionState.values()) {
            AtomicLong count = new AtomicLong();
            byState.put(state, count);
            Gauge.builder("tunl.sessions", count, AtomicLong::get).tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("Support sessions by state").register(registry);
        }
        Gauge.builder("tunl.viewers", live, LiveSessions::viewers)
                .description("Engineers watching a shared shell on this relay").register(registry);
        Gauge.builder("tunl.tunnels.open", tunnels, TunnelService::openCount)
                .description("Reverse tunnels open on this relay").register(registry);
        Gauge.builder("tunl.ssh.connections", connections, SupportConnections::openConnections)
                .description("SSH connections to this relay (customers and engineers)").register(registry);
        Gauge.builder("tunl.ssh.engineer.connections", connections, SupportConnections::engineerConnections)
                .description("Authenticated engineer SSH connections").register(registry);
        Traffic traffic = live.traffic();
        relayed("from-customers", traffic, Traffic::fromCustomers);
        relayed("to-viewers", traffic, Traffic::toViewers);
        relayed("from-engineers", traffic, Traffic::fromEngineers);
        FunctionCounter.builder("tunl.tunnel.bytes", ssh, server -> bytes(server.forwards(), true)).baseUnit("bytes")
                .tag("direction", "to-customer").description("Bytes through tunnels, counted as connections close")
                .register(registry);
        FunctionCounter.builder("tunl.tunnel.bytes", ssh, server -> bytes(server.forwards(), false)).baseUnit("bytes")
                .tag("direction", "to-engineer").description("Bytes through tunnels, counted as connections close")
                .register(registry);
        refreshSessionCounts();
    }

    @Scheduled(fixedDelayString = "${tunl.metrics.session-count-interval:15s}")
    void refreshSessionCounts() {
        sessions.countsByState().forEach((state, count) -> byState.get(state).set(count));
    }

    /** Every audit event is counted; refused logins and recording failures also under names of their own. */
    @EventListener
    void audited(AuditRecorded recorded) {
        AuditEntry entry = recorded.entry();
        String reason = entry.reason() == null ? "" : entry.reason();
        registry.counter("tunl.audit.events", "type", entry.type().code(), "reason", reason).increment();
        if (entry.type() == AuditEventType.LOGIN_REFUSED) {
            registry.counter("tunl.logins.refused", "reason", reason).increment();
        } else if (entry.type() == AuditEventType.RECORDING_FAILED) {
            registry.counter("tunl.recording.errors").increment();
        }
    }

    private void relayed(String direction, Traffic traffic, java.util.function.ToDoubleFunction<Traffic> bytes) {
        FunctionCounter.builder("tunl.relayed.bytes", traffic, bytes).baseUnit("bytes").tag("direction", direction)
                .description("Shared-shell bytes relayed since start").register(registry);
    }

    private static double bytes(VirtualForwards forwards, boolean toCustomer) {
        if (forwards == null) {
            return 0;
        }
        return toCustomer ? forwards.bytesToCustomer() : forwards.bytesToEngineer();
    }
}
