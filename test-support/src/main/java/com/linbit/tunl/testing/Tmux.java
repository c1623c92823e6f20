package com.linbit.tunl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The test's hand on a tmux server by socket name: type, read the screen, kill it. */
public final class Tmux {

    private final String socket;
    private final List<String> launcher;

    public Tmux(String socket) {
        this(socket, List.of());
    }

    /** A tmux reached through {@code launcher}, e.g. {@code chroot <root>} for the tmux of an older release. */
    public Tmux(String socket, List<String> launcher) {
        this.socket = socket;
        this.launcher = List.copyOf(launcher);
    }

    public String socket() {
        return socket;
    }

    public String run(String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().remove("TMUX");
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String screen(String target) {
        return run("capture-pane", "-p", "-J", "-t", target);
    }

    public void type(String target, String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", target));
        args.addAll(List.of(keys));
        run(args.toArray(String[]::new));
    }

    public boolean alive() {
        return !run("list-sessions").contains("no server running") && !run("list-sessions").contains("error connecting");
    }

    /** Ends the server and removes its socket file, which a server killed by a signal leaves. */
    public void kill() {
        run("kill-server");
        if (!launcher.isEmpty()) {
            return;
        }
        java.nio.file.Path socketFile = java.nio.file.Path.of(System.getenv().getOrDefault("TMUX_TMPDIR", "/tmp"),
                "tmux-" + currentUid(), socket);
        try {
            java.nio.file.Files.deleteIfExists(socketFile);
        } catch (IOException ignored) {
            // not ours to worry about
        }
    }

    private static String currentUid() {
        try {
            return String.valueOf(java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "0";
        }
    }
}
