package com.linbit.tunl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.linbit.tunl.testing.CustomerAgent;

/**
 * 5. From the customer pressing Enter on {@code linbit-tunl <id>} (a fresh JVM, key generation,
 * the SSH handshake, the relay's certificate check, HELLO) to the relay listing the session as
 * active. Polled every 5 ms through the admin API, which bounds the resolution.
 */
final class AgentStart {

    private AgentStart() {
    }

    static List<Row> run(Rig rig, BenchOptions options, Map<String, Object> details) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int start = 0; start < options.agentStarts() * options.runs(); start++) {
            String id = rig.createSession();
            long begin = System.nanoTime();
            try (CustomerAgent agent = rig.startAgent(id)) {
                long deadline = begin + TimeUnit.SECONDS.toNanos(60);
                while (!rig.relay.get("/api/admin/sessions?state=active").contains("\"" + id + "\"")) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the agent for " + id + " did not connect within a minute");
                    }
                    Thread.sleep(5);
                }
                millis.add(Stats.millis(System.nanoTime() - begin));
                // The agent starts its own tmux just after connecting; closing before it would leave it.
                while (!agent.agentTmuxAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
        }
        details.put("millis", millis);
        double median = Stats.median(millis);
        return List.of(Row.absolute("agent start → connected, median", "ms", median, "≤ 1000 ms", median <= 1000));
    }
}
