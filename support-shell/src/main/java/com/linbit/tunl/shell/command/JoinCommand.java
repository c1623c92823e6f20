package com.linbit.tunl.shell.command;

import java.io.IOException;

import org.jline.terminal.Terminal;

import com.linbit.tunl.shell.join.JoinException;
import com.linbit.tunl.shell.join.JoinSession;
import com.linbit.tunl.shell.relay.Relay;
import com.linbit.tunl.shell.relay.RelayConnection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

/**
 * {@code join <id>}: the customer's shared shell and the chat in a local two-window tmux on this
 * terminal, until the engineer leaves (Ctrl-b d) or the session ends.
 */
@Component
class JoinCommand {

    private final Relay relay;
    private final ObjectProvider<Terminal> console;

    JoinCommand(Relay relay, ObjectProvider<Terminal> console) {
        this.relay = relay;
        this.console = console;
    }

    @Command(name = "join", group = "Sessions", availabilityProvider = "relayConfigured", completionProvider = "sessionIds",
            description = "watch and type into a session's shared shell, with its chat (local tmux: Ctrl-b 0 shell,"
                    + " Ctrl-b 1 chat, Ctrl-b d leave)",
            help = "join <session-id>")
    String join(@Argument(index = 0, description = "session ID") String id) throws IOException, InterruptedException {
        if (id == null) {
            throw new JoinException("usage: join <session-id>; see 'sessions' for the open ones");
        }
        if (!onTerminal()) {
            throw new JoinException("join needs a terminal; run it from an interactive shell");
        }
        try (RelayConnection connection = relay.connect(); JoinSession join = JoinSession.start(connection, relay::connect, id)) {
            Terminals.whilePaused(console.getIfAvailable(), join::attach);
            return join.summary();
        }
    }

    private static boolean onTerminal() throws IOException, InterruptedException {
        return new ProcessBuilder("sh", "-c", "test -t 0 && test -t 1")
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start().waitFor() == 0;
    }
}
