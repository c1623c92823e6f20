package com.linbit.tunl.relay.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.linbit.tunl.relay.session.SessionProperties;
import com.linbit.tunl.relay.session.SessionService;

/**
 * Closes connected sessions nobody used for {@code tunl.session.idle-timeout}: no keystroke, no
 * output. Everyone is warned in the chat before (by default 5 and 1 minutes before); any input or
 * output starts the count again. An engineer merely watching does not keep a session open.
 */
@Component
class IdleSessions {

    private final LiveSessions live;
    private final SessionService sessions;
    private final Duration timeout;
    private final List<Duration> warnings;

    IdleSessions(LiveSessions live, SessionService sessions, SessionProperties properties) {
        this.live = live;
        this.sessions = sessions;
        this.timeout = properties.idleTimeout();
        List<Duration> longestFirst = new ArrayList<>(properties.idleWarnings());
        longestFirst.removeIf(warning -> warning.isNegative() || warning.isZero() || warning.compareTo(timeout) >= 0);
        longestFirst.sort(Comparator.reverseOrder());
        this.warnings = List.copyOf(longestFirst);
    }

    @Scheduled(fixedDelayString = "${tunl.session.idle-check-interval:15s}")
    void check() {
        for (LiveSession session : live.all()) {
            if (session.isEnded() || !session.agentConnected()) {
                continue;
            }
            Duration idle = session.idle();
            if (idle.compareTo(timeout) >= 0) {
                sessions.close(session.id(), "idle", "relay");
                continue;
            }
            for (int warning = warnings.size() - 1; warning >= 0; warning--) {
                Duration left = warnings.get(warning);
                if (idle.compareTo(timeout.minus(left)) >= 0) {
                    if (session.idleWarningDue(warning)) {
                        session.announce("no input or output for " + minutes(idle) + ": this session closes in "
                                + minutes(left) + " unless someone types or the shell prints something");
                    }
                    break;
                }
            }
        }
    }

    private static String minutes(Duration duration) {
        long seconds = Math.max(1, Math.round(duration.toMillis() / 1000.0));
        if (seconds < 120) {
            return seconds + " seconds";
        }
        return Math.round(seconds / 60.0) + " minutes";
    }
}
