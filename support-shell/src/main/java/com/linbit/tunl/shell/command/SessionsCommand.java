package com.linbit.tunl.shell.command;

import java.util.List;

import com.linbit.tunl.shell.relay.Relay;

import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

/** {@code sessions}: the sessions that are not closed. */
@Component
class SessionsCommand {

    private final Relay relay;

    SessionsCommand(Relay relay) {
        this.relay = relay;
    }

    @Command(name = "sessions", group = "Sessions", availabilityProvider = "relayConfigured",
            description = "list open sessions", help = "sessions")
    String sessions() {
        return relay.run(List.of("sessions")).stripTrailing();
    }
}
