package com.linbit.tunl.testing;

import java.util.concurrent.TimeUnit;

/** Ending the processes tests and the benchmark start, so none outlives its run. */
public final class Processes {

    private Processes() {
    }

    /** SIGTERM, then SIGKILL if {@code process} has not ended within {@code seconds}. */
    public static void stop(Process process, int seconds) {
        process.destroy();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
