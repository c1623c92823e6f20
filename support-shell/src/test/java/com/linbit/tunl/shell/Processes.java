package com.linbit.tunl.shell;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the console jar and other programs as processes, for the console's integration tests. */
final class Processes {

    private Processes() {
    }

    /** {@code tunl ARGS} with {@code home} as its HOME (and user.home, which Java takes from passwd). */
    static Result tunl(Path home, String... args) throws Exception {
        List<String> command = new ArrayList<>(tunlCommand(home));
        command.addAll(List.of(args));
        return run(command);
    }

    /** The console as a command line; {@code variables} (NAME=value) come after the isolating defaults. */
    static List<String> tunlCommand(Path home, String... variables) {
        // Nothing of the developer's own setup may leak in: config, agent, relay overrides.
        List<String> command = new ArrayList<>(List.of("env", "HOME=" + home, "USER=alice", "XDG_CONFIG_HOME=", "SSH_AUTH_SOCK=",
                "TUNL_RELAY=", "TUNL_USER=", "TUNL_IDENTITY=", "TUNL_RELAY_CA=", "XDG_RUNTIME_DIR="));
        command.addAll(List.of(variables));
        command.addAll(List.of(java(), "-Duser.home=" + home, "-jar", jar("tunl.shell.jar")));
        return command;
    }

    /** A fresh engineer home with an ed25519 key in .ssh; returns the home. */
    static Path engineerHome(Path home) throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Path key = home.resolve(".ssh/id_ed25519");
        Result generated = run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()));
        if (generated.exit() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + generated.all());
        }
        return home;
    }

    static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    static String java() {
        return System.getProperty("java.home") + "/bin/java";
    }

    static String jar(String property) {
        Path jar = Path.of(System.getProperty(property, ""));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(property + " not built: " + jar.toAbsolutePath());
        }
        return jar.toAbsolutePath().toString();
    }

    static String shellQuote(List<String> words) {
        return String.join(" ", words.stream().map(word -> "'" + word.replace("'", "'\\''") + "'").toList());
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    record Result(int exit, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }
}
