package com.linbit.tunl.shell.command;

import java.io.IOException;
import java.util.List;

import org.jline.terminal.Terminal;

import com.linbit.tunl.shell.relay.ExitStatusException;
import com.linbit.tunl.shell.relay.Relay;
import com.linbit.tunl.shell.relay.RelayException;
import com.linbit.tunl.shell.relay.ShellConfig;
import com.linbit.tunl.shell.tunnel.CustomerSsh;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Arguments;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** {@code ssh <id> [--user NAME] [-- command...]}: the customer's sshd through the granted tunnel. */
@Component
class SshCommand {

    private final Relay relay;
    private final ObjectProvider<Terminal> console;

    SshCommand(Relay relay, ObjectProvider<Terminal> console) {
        this.relay = relay;
        this.console = console;
    }

    @Command(name = "ssh", group = "Tunnels", availabilityProvider = "relayConfigured", completionProvider = "sessionIds",
            description = "log in to the customer's sshd through the session's granted tunnel (stock ssh)",
            help = "ssh <session-id> [--user NAME] [-- command...]")
    String ssh(@Argument(index = 0, description = "session ID") String id,
               @Option(longName = "user", description = "user on the customer's machine", defaultValue = "root") String user,
               @Arguments List<String> words) throws IOException, InterruptedException {
        if (id == null) {
            throw new RelayException("usage: ssh <session-id> [--user NAME] [-- command...]");
        }
        ShellConfig config = relay.config().orElseThrow(() -> new RelayException("tunl is not set up yet: run setup"));
        List<String> remote = TrailingWordsCommandParser.takeTrailingWords();
        if (words.size() > 1) {
            throw new RelayException("put the command after --: ssh " + id + " -- " + String.join(" ", words.subList(1, words.size())));
        }
        ProcessBuilder ssh = CustomerSsh.command(config, relay.environment(), id, user, List.of(), remote).inheritIO();
        int status = Terminals.whilePaused(console.getIfAvailable(), () -> ssh.start().waitFor());
        if (status != 0) {
            // As with ssh itself: the remote command's status (255: ssh or the tunnel failed).
            throw new ExitStatusException(status, "ssh to " + id + " ended with status " + status);
        }
        return "";
    }
}
