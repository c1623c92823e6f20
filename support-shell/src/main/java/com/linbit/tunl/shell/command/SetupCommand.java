package com.linbit.tunl.shell.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.linbit.tunl.client.RelayAddress;
import com.linbit.tunl.client.RelayTrust;
import com.linbit.tunl.shell.relay.Relay;
import com.linbit.tunl.shell.relay.RelayException;
import com.linbit.tunl.shell.relay.ShellConfig;

import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** {@code setup}: where the relay is, which CA vouches for it, who you are there. */
@Component
class SetupCommand {

    private final Relay relay;

    SetupCommand(Relay relay) {
        this.relay = relay;
    }

    @Command(name = "setup", group = "Setup", description = "configure the relay, its CA, your user and key",
            help = "setup --relay HOST:PORT --ca-file FILE [--user NAME] [--identity FILE]")
    String setup(@Option(longName = "relay", required = true, description = "relay address, HOST[:PORT]") String address,
                 @Option(longName = "ca-file", required = true, description = "the relay's CA keys (its /ca.pub)") String caFile,
                 @Option(longName = "user", description = "your engineer name (default: your login name)") String user,
                 @Option(longName = "identity", description = "your SSH private key (default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa)") String identity) {
        RelayAddress parsed;
        try {
            parsed = RelayAddress.parse(address, ShellConfig.DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
            throw new RelayException(e.getMessage());
        }
        Path ca = Path.of(caFile).toAbsolutePath();
        try {
            if (RelayTrust.load(List.of(ca)).isEmpty()) {
                throw new RelayException(ca + " holds no CA key");
            }
        } catch (IOException e) {
            throw new RelayException(e.getMessage());
        }
        Path key = identity == null ? null : Path.of(identity).toAbsolutePath();
        if (key != null && !Files.isRegularFile(key)) {
            throw new RelayException("no key file " + key);
        }
        String name = user != null ? user : relay.environment().getOrDefault("USER", System.getProperty("user.name"));
        ShellConfig config = new ShellConfig(parsed, name, key, ca);
        try {
            config.save(relay.environment());
        } catch (IOException e) {
            throw new RelayException("cannot write " + ShellConfig.file(relay.environment()) + ": " + e.getMessage());
        }
        return "tunl is set up: relay " + parsed + " as " + name + " (" + ShellConfig.file(relay.environment())
                + "); check it with whoami";
    }
}
