package com.linbit.tunl.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 4. Simulated customers, each watched by two engineers on connections of their own, added in
 * steps up to the maximum. At each step, after a full collection: the relay's heap beyond what it
 * held with no session, and its resident memory beyond the first step's, per session; and a keystroke's round trip (viewer →
 * relay → customer, echoed → relay → viewer) on a spread of sessions.
 */
final class ConcurrentSessions {

    private static final int SAMPLED_SESSIONS = 50;
    private static final int CONNECTING_THREADS = 8;

    private ConcurrentSessions() {
    }

    record Step(int sessions, int connections, long heapBytesPerSession, long residentBytesPerSession,
                double keystrokeP50Millis, double keystrokeP99Millis, int errors, double rampSeconds) {
    }

    private record Watched(SimulatedCustomer customer, SimulatedViewer first, SimulatedViewer second) {
    }

    static List<Row> run(Rig rig, BenchOptions options, Map<String, Object> details) throws Exception {
        long heapBase = rig.relay.heapUsedAfterGc();
        // RSS is not measured against the relay without sessions: a collection there gives memory
        // back to the system at its own pace. The first step is the reference instead.
        long residentBase = -1;
        int sessionsBase = 0;
        List<Watched> live = Collections.synchronizedList(new ArrayList<>());
        List<Step> steps = new ArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService connecting = Executors.newFixedThreadPool(CONNECTING_THREADS);
        try {
            for (int target : steps(options.maxSessions())) {
                long start = System.nanoTime();
                List<Future<?>> adding = new ArrayList<>();
                for (int i = live.size(); i < target; i++) {
                    adding.add(connecting.submit(() -> add(rig, live, errors)));
                }
                for (Future<?> added : adding) {
                    added.get();
                }
                double rampSeconds = (System.nanoTime() - start) / 1e9;
                Thread.sleep(2000);
                int sessions = live.size();
                long heap = rig.relay.heapUsedAfterGc() - heapBase;
                long residentNow = ProcessUsage.residentBytes(rig.relay.pid());
                long residentPerSession = residentBase < 0 ? 0 : (residentNow - residentBase) / Math.max(1, sessions - sessionsBase);
                if (residentBase < 0) {
                    residentBase = residentNow;
                    sessionsBase = sessions;
                }
                List<Double> millis = keystrokes(live, errors);
                Step step = new Step(sessions, sessions * 3, heap / Math.max(1, sessions), residentPerSession,
                        Stats.percentile(millis, 50), Stats.percentile(millis, 99), errors.get(), rampSeconds);
                steps.add(step);
                System.err.printf("  %d sessions (%d connections): heap %d KiB/session, RSS %d KiB/session, keystroke p99 %.1f ms, errors %d%n",
                        step.sessions(), step.connections(), step.heapBytesPerSession() / 1024,
                        step.residentBytesPerSession() / 1024, step.keystrokeP99Millis(), step.errors());
            }
        } finally {
            connecting.shutdown();
            synchronized (live) {
                live.forEach(watched -> {
                    watched.first().close();
                    watched.second().close();
                    watched.customer().close();
                });
            }
        }
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("heapBytes", heapBase);
        base.put("residentBytesAtFirstStep", residentBase);
        details.put("withoutSessions", base);
        details.put("steps", steps);
        Step last = steps.get(steps.size() - 1);
        boolean allThere = last.sessions() >= options.maxSessions() && last.errors() == 0;
        return List.of(
                Row.absolute("concurrent sessions held (2 viewers each), errors", "sessions", last.sessions(),
                        "≥ 2000, no errors", allThere && last.sessions() >= 2000),
                Row.absolute("keystroke p99 at " + last.sessions() + " sessions", "ms", last.keystrokeP99Millis(),
                        "< 50 ms", last.keystrokeP99Millis() < 50),
                Row.absolute("relay heap per session at " + last.sessions() + " sessions", "KiB",
                        last.heapBytesPerSession() / 1024.0, "≤ 64 KiB", last.heapBytesPerSession() <= 64 * 1024),
                Row.figure("relay RSS per session at " + last.sessions() + " sessions", "KiB",
                        last.residentBytesPerSession() / 1024.0, Double.NaN));
    }

    private static void add(Rig rig, List<Watched> live, AtomicInteger errors) {
        try {
            String id = rig.createSession();
            SimulatedCustomer customer = SimulatedCustomer.connect(rig.mina, id);
            SimulatedViewer first = new SimulatedViewer(rig.mina, Rig.ENGINEER, id);
            SimulatedViewer second = new SimulatedViewer(rig.mina, Rig.ENGINEER, id);
            if (!first.screen().awaitText("joined", 60_000) || !second.screen().awaitText("joined", 60_000)) {
                errors.incrementAndGet();
            }
            live.add(new Watched(customer, first, second));
        } catch (Exception e) {
            errors.incrementAndGet();
            System.err.println("  a session failed to come up: " + e);
        }
    }

    private static List<Double> keystrokes(List<Watched> live, AtomicInteger errors) throws Exception {
        List<Double> millis = new ArrayList<>();
        List<Watched> snapshot;
        synchronized (live) {
            snapshot = List.copyOf(live);
        }
        int every = Math.max(1, snapshot.size() / SAMPLED_SESSIONS);
        for (int i = 0; i < snapshot.size(); i += every) {
            long nanos = snapshot.get(i).first().typeAndTime((byte) 'k', 5000);
            if (nanos < 0) {
                errors.incrementAndGet();
            } else {
                millis.add(Stats.millis(nanos));
            }
            Thread.sleep(10);
        }
        return millis;
    }

    /** 5 %, 10 %, 25 %, 50 % and all of the maximum. */
    static List<Integer> steps(int max) {
        TreeSet<Integer> steps = new TreeSet<>();
        for (double fraction : new double[] {0.05, 0.1, 0.25, 0.5, 1.0}) {
            steps.add(Math.max(1, (int) Math.round(max * fraction)));
        }
        return List.copyOf(steps);
    }
}
