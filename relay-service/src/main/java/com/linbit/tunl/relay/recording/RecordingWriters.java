package com.linbit.tunl.relay.recording;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few threads that write every session's recording: a recording hands them work only when it
 * has events queued, so thousands of quiet sessions cost no thread each. Disk work never runs on
 * MINA's I/O threads or the agent's stream.
 */
final class RecordingWriters implements AutoCloseable {

    private final ScheduledExecutorService threads;

    RecordingWriters(int threads) {
        AtomicInteger counter = new AtomicInteger();
        this.threads = Executors.newScheduledThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "tunl-recording-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code work} on a writer thread; during shutdown, here, so no part is left unclosed. */
    void execute(Runnable work) {
        try {
            threads.execute(work);
        } catch (RejectedExecutionException shuttingDown) {
            work.run();
        }
    }

    void later(Runnable work, long millis) {
        try {
            threads.schedule(work, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            work.run();
        }
    }

    /** Lets queued writes finish (closing parts register their hashes), for a little while. */
    @Override
    public void close() throws InterruptedException {
        threads.shutdown();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }
}
