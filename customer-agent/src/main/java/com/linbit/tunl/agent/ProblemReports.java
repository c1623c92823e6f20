package com.linbit.tunl.agent;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;

import com.linbit.tunl.protocol.Frame;

/**
 * What the agent could not do mid-session (a tmux command that failed, keys it could not type):
 * shown to the customer in the chat pane and to the engineers through the relay (AGENT_NOTICE),
 * never only logged. The same problem is shown once, then at most once every
 * {@link #REPEAT_MILLIS} with how often it happened meanwhile, so a failing keystroke path does
 * not flood anyone.
 */
final class ProblemReports {

    static final long REPEAT_MILLIS = 30_000;
    /** Well inside the protocol's text field (8 KiB), however long tmux's message was. */
    private static final int MAX_TEXT = 500;
    private static final Logger log = Logger.getLogger(ProblemReports.class.getName());

    private final Consumer<String> customer;
    private final Consumer<Frame> relay;
    private final Map<String, Seen> seen = new HashMap<>();

    private static final class Seen {
        long shownAt;
        int since;
    }

    /** @param customer a line for the chat pane; @param relay where the frame for the engineers goes */
    ProblemReports(Consumer<String> customer, Consumer<Frame> relay) {
        this.customer = customer;
        this.relay = relay;
    }

    /** Reports {@code text}; {@code kind} names the problem, so its repeats are counted, not shown. */
    void report(String kind, String text) {
        String shown;
        synchronized (this) {
            long now = System.currentTimeMillis();
            Seen before = seen.computeIfAbsent(kind, k -> new Seen());
            if (before.shownAt != 0 && now - before.shownAt < REPEAT_MILLIS) {
                before.since++;
                return;
            }
            shown = before.since > 0 ? text + " (" + (before.since + 1) + " times since the last report)" : text;
            before.shownAt = now;
            before.since = 0;
        }
        if (shown.length() > MAX_TEXT) {
            shown = shown.substring(0, MAX_TEXT) + "...";
        }
        log.warning(shown);
        customer.accept("* " + shown);
        relay.accept(new Frame.AgentNotice(shown));
    }
}
