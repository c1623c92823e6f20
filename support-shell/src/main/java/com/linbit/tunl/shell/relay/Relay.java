package com.linbit.tunl.shell.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * The console's way to the relay: each call opens a verified connection, runs one relay command
 * and returns its output; a failing command becomes a {@link RelayException} with the relay's
 * message.
 */
@Component
public class Relay {

    private final Map<String, String> environment;

    Relay() {
        this(System.getenv());
    }

    Relay(Map<String, String> environment) {
        this.environment = environment;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public boolean isConfigured() {
        return config().isPresent();
    }

    public Optional<ShellConfig> config() {
        try {
            return ShellConfig.load(environment);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ShellConfig.file(environment), e);
        } catch (IllegalArgumentException e) {
            throw new RelayException(e.getMessage() + " (in " + ShellConfig.file(environment) + ")");
        }
    }

    /** Runs {@code words} as one relay command; returns its standard output. */
    public String run(List<String> words) {
        ShellConfig config = config().orElseThrow(() -> new RelayException("tunl is not set up yet: run setup"));
        try (RelayConnection connection = RelayConnection.open(config)) {
            RelayConnection.Result result = connection.run(words);
            if (!result.ok()) {
                String message = result.stderr().strip();
                throw new RelayException(message.startsWith("fatal: ") ? message.substring(7) : message);
            }
            return result.stdout();
        }
    }
}
