package com.linbit.tunl.shell.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.linbit.tunl.shell.relay.ExitStatusException;
import com.linbit.tunl.shell.relay.Relay;
import com.linbit.tunl.shell.relay.RelayConnection;
import com.linbit.tunl.shell.relay.RelayException;
import com.linbit.tunl.shell.relay.RelayStream;

import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code request-tunnel <id> [--no-wait]}: the relay command of the same name, its lines shown as
 * they come ("pending", then "granted"), its refusal or the customer's Deny as a failure.
 */
@Component
class RequestTunnelCommand {

    /** The relay's exit status for "asked, no answer yet", passed on as is. */
    static final int STILL_PENDING = 3;

    private final Relay relay;

    RequestTunnelCommand(Relay relay) {
        this.relay = relay;
    }

    @Command(name = "request-tunnel", group = "Tunnels", availabilityProvider = "relayConfigured",
            completionProvider = "sessionIds",
            description = "ask the customer for a reverse SSH tunnel to their sshd; waits for Grant/Deny unless --no-wait",
            help = "request-tunnel <session-id> [--no-wait]")
    String requestTunnel(@Argument(index = 0, description = "session ID") String id,
                         @Option(longName = "no-wait", description = "do not wait for the customer's answer") boolean noWait)
            throws IOException {
        if (id == null) {
            throw new RelayException("usage: request-tunnel <session-id> [--no-wait]");
        }
        List<String> words = new ArrayList<>(List.of("request-tunnel", id));
        if (noWait) {
            words.add("--no-wait");
        }
        try (RelayConnection connection = relay.connect(); RelayStream stream = connection.openStream(words, 0, 0)) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream.output(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                System.out.println(line);
                System.out.flush();
            }
            RelayStream.Ending ending = stream.awaitEnd(Duration.ofSeconds(30));
            if (ending.exitStatus() == STILL_PENDING) {
                throw new ExitStatusException(STILL_PENDING, "the customer has not answered yet; ask again with request-tunnel " + id);
            }
            if (ending.exitStatus() != 0) {
                throw new RelayException(ending.message().isEmpty() ? "the relay refused the request" : ending.message());
            }
            return "";
        }
    }
}
