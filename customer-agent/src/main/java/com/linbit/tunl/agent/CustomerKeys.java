package com.linbit.tunl.agent;

import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's own Ctrl-b keys (Q, G, D, R): tmux binds each to {@code wait-for -S <channel>}, and a
 * watcher thread per key waits on that channel and acts, until tmux ends or the session is ending.
 */
final class CustomerKeys {

    private static final Logger log = Logger.getLogger(CustomerKeys.class.getName());

    private final Tmux tmux;
    private final BooleanSupplier ending;

    CustomerKeys(Tmux tmux, BooleanSupplier ending) {
        this.tmux = tmux;
        this.ending = ending;
    }

    /** Runs {@code action} on every press of the key bound to {@code channel}. */
    void onEach(String channel, Runnable action) {
        watch(channel, action, true);
    }

    /** Runs {@code action} on the first press only. */
    void onFirst(String channel, Runnable action) {
        watch(channel, action, false);
    }

    private void watch(String channel, Runnable action, boolean repeat) {
        Thread watcher = new Thread(() -> {
            try {
                do {
                    Process waiting = tmux.waitFor(channel);
                    waiting.getInputStream().readAllBytes();
                    if (waiting.waitFor() != 0 || ending.getAsBoolean()) {
                        return;
                    }
                    action.run();
                } while (repeat && !ending.getAsBoolean());
            } catch (IOException e) {
                log.log(Level.FINE, channel + " watcher ended", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tunl-key-" + channel);
        watcher.setDaemon(true);
        watcher.start();
    }
}
