package com.linbit.tunl.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Tries again after 1 s, doubling up to 30 s between attempts (each wait shortened by a random
 * part of up to half, so agents and consoles cut off together do not return together), for up to
 * a window. The agent's reconnect and the console's rejoin both use it.
 */
public final class Backoff {

    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration LONGEST = Duration.ofSeconds(30);

    /** One attempt: true when it succeeded (or decided for good), false to try again. */
    public interface Attempt {
        boolean run(int number);
    }

    private Backoff() {
    }

    /** Runs {@code attempt} until it returns true, {@code giveUp} says so, or {@code window} passed; true when it succeeded. */
    public static boolean retry(Duration window, BooleanSupplier giveUp, Attempt attempt) {
        long deadline = System.nanoTime() + window.toNanos();
        Duration delay = FIRST;
        for (int number = 1; !giveUp.getAsBoolean(); number++) {
            if (attempt.run(number)) {
                return true;
            }
            if (System.nanoTime() + delay.toNanos() > deadline) {
                return false;
            }
            long millis = delay.toMillis();
            try {
                Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            delay = delay.multipliedBy(2).compareTo(LONGEST) > 0 ? LONGEST : delay.multipliedBy(2);
        }
        return false;
    }
}
