package com.linbit.tunl.shell.command;

import java.util.List;

import com.linbit.tunl.shell.relay.Relay;

import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

/** {@code whoami}: who the relay thinks you are, and through which key. */
@Component
class WhoamiCommand {

    private final Relay relay;

    WhoamiCommand(Relay relay) {
        this.relay = relay;
    }

    @Command(name = "whoami", group = "Setup", availabilityProvider = "relayConfigured",
            description = "show your engineer name and key as the relay sees them", help = "whoami")
    String whoami() {
        return relay.run(List.of("whoami")).stripTrailing();
    }
}
