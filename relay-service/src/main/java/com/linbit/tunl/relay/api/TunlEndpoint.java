package com.linbit.tunl.relay.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.ssh.SupportConnections;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/** {@code /actuator/tunl}: live connection and session counts at a glance. */
@Component
@Endpoint(id = "tunl")
class TunlEndpoint {

    private final SupportConnections connections;
    private final SessionService sessions;

    TunlEndpoint(SupportConnections connections, SessionService sessions) {
        this.connections = connections;
        this.sessions = sessions;
    }

    @ReadOperation
    Map<String, Object> counts() {
        Map<String, Long> byState = new LinkedHashMap<>();
        sessions.countsByState().forEach((state, count) -> byState.put(state.name().toLowerCase(Locale.ROOT), count));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("sshConnections", connections.openConnections());
        result.put("engineerConnections", connections.engineerConnections());
        result.put("sessions", byState);
        return result;
    }
}
