package com.linbit.tunl.shell.command;

import java.util.ArrayList;
import java.util.List;

import com.linbit.tunl.shell.relay.Relay;

import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** {@code create-session}: a new session, and the line to read to the customer. */
@Component
class CreateSessionCommand {

    private final Relay relay;

    CreateSessionCommand(Relay relay) {
        this.relay = relay;
    }

    @Command(name = "create-session", group = "Sessions", availabilityProvider = "relayConfigured",
            description = "create a session; prints its ID and the line to read to the customer",
            help = "create-session [--case N] [--note TEXT]")
    String createSession(@Option(longName = "case", description = "case number") String caseNumber,
                         @Option(longName = "note", description = "a note for colleagues") String note) {
        List<String> words = new ArrayList<>(List.of("create-session"));
        if (caseNumber != null) {
            words.addAll(List.of("--case", caseNumber));
        }
        if (note != null) {
            words.addAll(List.of("--note", note));
        }
        return relay.run(words).stripTrailing();
    }
}
