package com.linbit.tunl.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Types engineers' keys through one long-lived control-mode client of the agent's tmux: a line on
 * its stdin per keystroke, where starting a tmux process per keystroke costs milliseconds of each
 * key's round trip. It neither receives pane output nor sizes the window (tmux 3.2's
 * {@code no-output,ignore-size}); where that is not available, {@link #type} says so and the
 * caller starts a process as before.
 */
final class TmuxKeyboard {

    private static final Logger log = Logger.getLogger(TmuxKeyboard.class.getName());
    private static final long READY_SECONDS = 5;

    private final Supplier<ProcessBuilder> client;
    private Process process;
    private Writer commands;
    private boolean unavailable;

    /** {@code client} builds {@code tmux ... -C attach-session ...} for the agent's server. */
    TmuxKeyboard(Supplier<ProcessBuilder> client) {
        this.client = client;
    }

    static List<String> attachArguments(String session) {
        return List.of("-C", "attach-session", "-t", session, "-f", "no-output,ignore-size");
    }

    /** Sends one tmux command line; false when the control client cannot be used. */
    synchronized boolean type(String commandLine) {
        if (unavailable) {
            return false;
        }
        try {
            if (process == null || !process.isAlive()) {
                start();
            }
            commands.write(commandLine);
            commands.write('\n');
            commands.flush();
            return true;
        } catch (IOException e) {
            log.log(Level.FINE, "tmux control client unusable; typing through tmux processes", e);
            unavailable = true;
            close();
            return false;
        }
    }

    private void start() throws IOException {
        process = client.get().redirectErrorStream(true).start();
        commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> drain(ready), "tunl-tmux-keyboard");
        reader.setDaemon(true);
        reader.start();
        // The first command's reply proves the client attached (older tmux refuses the flags).
        commands.write("display-message -p tunl-keyboard-ready\n");
        commands.flush();
        try {
            if (!ready.get(READY_SECONDS, TimeUnit.SECONDS) || !process.isAlive()) {
                throw new IOException("tmux control client did not attach");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("tmux control client did not attach", e);
        }
    }

    private void drain(CompletableFuture<Boolean> ready) {
        try (BufferedReader replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = replies.readLine()) != null) {
                if (line.equals("tunl-keyboard-ready")) {
                    ready.complete(true);
                } else if (line.startsWith("%error")) {
                    log.fine(() -> "tmux refused a keystroke command");
                }
            }
        } catch (IOException e) {
            log.log(Level.FINE, "tmux control client ended", e);
        }
        ready.complete(false);
    }

    synchronized void close() {
        if (process != null) {
            process.destroy();
            process = null;
        }
    }
}
