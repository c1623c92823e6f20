package com.linbit.tunl.relay.ssh;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code ssh} in actuator health: up while the SSH port is listening. */
@Component("ssh")
class SshListenerHealthIndicator implements HealthIndicator {

    private final RelaySshServer server;

    SshListenerHealthIndicator(RelaySshServer server) {
        this.server = server;
    }

    @Override
    public Health health() {
        if (!server.isRunning()) {
            return Health.down().withDetail("reason", "SSH server is not listening").build();
        }
        return Health.up().withDetail("port", server.port()).build();
    }
}
