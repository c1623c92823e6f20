package com.linbit.tunl.shell.command;

import java.util.List;

import com.linbit.tunl.shell.relay.Relay;
import com.linbit.tunl.shell.relay.RelayException;

import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Arguments;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

/** {@code chat <id> <text...>}: one line to the customer and every engineer in the session. */
@Component
class ChatCommand {

    private final Relay relay;

    ChatCommand(Relay relay) {
        this.relay = relay;
    }

    @Command(name = "chat", group = "Sessions", availabilityProvider = "relayConfigured", completionProvider = "sessionIds",
            description = "send one chat line to a session", help = "chat <session-id> <text...>")
    String chat(@Argument(index = 0, description = "session ID") String id, @Arguments List<String> words) {
        if (id == null || words.size() < 2) {
            throw new RelayException("usage: chat <session-id> <text...>");
        }
        relay.run(List.of("chat", id, "--say", String.join(" ", words.subList(1, words.size()))));
        return "sent";
    }
}
