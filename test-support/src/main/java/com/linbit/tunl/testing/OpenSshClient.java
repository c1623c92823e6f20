package com.linbit.tunl.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The stock OpenSSH {@code ssh} and {@code ssh-keygen}, run with a temporary HOME, no user or
 * system config, and a known_hosts file holding only what the relay published — so the host is
 * verified through the relay CA with StrictHostKeyChecking=yes, and the real ~/.ssh is never read.
 */
public final class OpenSshClient {

    private final Path home;
    private final Path knownHosts;
    private final java.util.Map<String, String> extraEnvironment = new java.util.HashMap<>();

    public OpenSshClient(Path home, String knownHostsContent) {
        this.home = home;
        this.knownHosts = home.resolve("known_hosts");
        try {
            Files.createDirectories(home.resolve(".ssh"));
            Files.writeString(knownHosts, knownHostsContent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new key pair; returns the private key file (the public one is next to it, .pub). */
    public Path generateKey(String name, String type, int bits) {
        Path key = home.resolve(name);
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", key.toString()));
        if (bits > 0) {
            command.add("-b");
            command.add(Integer.toString(bits));
        }
        Result result = run(command, 30);
        if (result.exit() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + result.stderr());
        }
        return key;
    }

    public static String publicKeyOf(Path privateKey) {
        try {
            return Files.readString(privateKey.resolveSibling(privateKey.getFileName() + ".pub")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code ssh} with the given options and arguments after the standard isolating ones. */
    public Result ssh(Path identity, int port, String user, String... rest) {
        return run(sshCommand(identity, port, user, rest), 30);
    }

    /** Starts {@code ssh} without waiting for it, e.g. a long-lived {@code -N} connection. */
    public Process start(Path identity, int port, String user, String... rest) {
        try {
            return builder(sshCommand(identity, port, user, rest)).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts any command line (e.g. {@link #jumpCommand}) with this client's environment. */
    public Process start(List<String> command) {
        try {
            return builder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> sshCommand(Path identity, int port, String user, String... rest) {
        List<String> command = new ArrayList<>(List.of("ssh", "-F", "/dev/null",
                "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes",
                "-o", "ConnectTimeout=10",
                "-o", "LogLevel=ERROR",
                "-p", Integer.toString(port)));
        if (identity != null) {
            command.add("-i");
            command.add(identity.toString());
        }
        List<String> options = new ArrayList<>();
        List<String> remote = new ArrayList<>();
        boolean inRemote = false;
        for (String word : rest) {
            if (!inRemote && word.equals("--")) {
                inRemote = true;
            } else if (inRemote) {
                remote.add(word);
            } else {
                options.add(word);
            }
        }
        command.addAll(options);
        command.add(user + "@127.0.0.1");
        command.addAll(remote);
        return command;
    }

    /**
     * An ssh_config for reaching a customer's sshd through the relay as {@code user}: the relay
     * (alias {@code tunl-relay}) verified by its CA line, the customer's host key learned on first
     * use (it is a fresh sshd), {@code identity} for both hops. {@code -J} hands the jump hop only
     * the config file, not {@code -o} options, hence a file.
     */
    public Path jumpConfig(Path identity, int relayPort, String user) {
        Path config = home.resolve("jump-" + user + "_config");
        try {
            Files.writeString(config, String.join("\n",
                    "Host tunl-relay",
                    "  HostName 127.0.0.1",
                    "  Port " + relayPort,
                    "  User " + user,
                    "  UserKnownHostsFile " + knownHosts,
                    "  StrictHostKeyChecking yes",
                    "Host *",
                    "  GlobalKnownHostsFile /dev/null",
                    "  UserKnownHostsFile " + home.resolve("customer_known_hosts"),
                    "  StrictHostKeyChecking accept-new",
                    "  IdentitiesOnly yes",
                    "  IdentityFile " + identity,
                    "  BatchMode yes",
                    "  ConnectTimeout 10",
                    "  LogLevel INFO",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    /** {@code ssh -F config -J tunl-relay TARGET COMMAND...}, as an engineer reaches a customer's sshd. */
    public static List<String> jumpCommand(Path config, String target, String... command) {
        List<String> words = new ArrayList<>(List.of("ssh", "-F", config.toString(), "-J", "tunl-relay", target));
        words.addAll(List.of(command));
        return words;
    }

    /** Sets (or with null, clears) an environment variable for every later run, e.g. SSH_AUTH_SOCK. */
    public void environment(String name, String value) {
        extraEnvironment.put(name, value);
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("SSH_AUTH_SOCK");
        builder.environment().remove("SSH_AGENT_PID");
        builder.environment().remove("DISPLAY");
        extraEnvironment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        return builder;
    }

    public Result run(List<String> command, int timeoutSeconds) {
        return run(command, Path.of("/dev/null"), timeoutSeconds);
    }

    /** Runs {@code command} with {@code input} as its standard input. */
    public Result run(List<String> command, Path input, int timeoutSeconds) {
        try {
            Process process = builder(command).redirectInput(ProcessBuilder.Redirect.from(input.toFile())).start();
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("timed out after " + timeoutSeconds + "s: " + String.join(" ", command));
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                return buffer.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    public record Result(int exit, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.lines().toList();
        }
    }
}
