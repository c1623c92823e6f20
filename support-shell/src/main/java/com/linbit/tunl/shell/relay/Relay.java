package com.linbit.tunl.shell.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The console's way to the relay: each call opens a verified connection, runs one relay command
 * and returns its output; a failing command becomes a {@link RelayException} with the relay's
 * message.
 */
@Component
public class Relay {

    private final Map<String, String> environment;
    private final EngineerKeys keys = new EngineerKeys();

    /** The process environment, with the flags given before the command ({@code --relay}, ...) on top. */
    @Autowired
    Relay(Environment spring) {
        this(withFlags(System.getenv(), spring));
    }

    /** A console that sees {@code environment} instead of the process environment (HOME, TUNL_*). */
    public Relay(Map<String, String> environment) {
        this.environment = environment;
    }

    private static Map<String, String> withFlags(Map<String, String> environment, Environment spring) {
        Map<String, String> merged = new HashMap<>(environment);
        for (String variable : List.of("TUNL_RELAY", "TUNL_USER", "TUNL_IDENTITY", "TUNL_RELAY_CA")) {
            String flag = spring.getProperty("tunl.override." + variable);
            if (flag != null) {
                merged.put(variable, flag);
            }
        }
        return Map.copyOf(merged);
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

    /** A verified connection for commands that keep running, such as {@code join}; the caller closes it. */
    public RelayConnection connect() {
        return RelayConnection.open(config().orElseThrow(() -> new RelayException("tunl is not set up yet: run setup")),
                environment, keys);
    }

    /** Runs {@code words} as one relay command; returns its standard output. */
    public String run(List<String> words) {
        try (RelayConnection connection = connect()) {
            RelayConnection.Result result = connection.run(words);
            if (!result.ok()) {
                String message = result.stderr().strip();
                throw new RelayException(message.startsWith("fatal: ") ? message.substring(7) : message);
            }
            return result.stdout();
        }
    }
}
