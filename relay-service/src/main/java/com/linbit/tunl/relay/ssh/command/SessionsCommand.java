package com.linbit.tunl.relay.ssh.command;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.session.SupportSession;

/** {@code sessions}: every session not yet closed. */
final class SessionsCommand extends SupportCommand {

    static final String USAGE = "sessions";
    private static final String ROW = "%-34s %-12s %-12s %-16s %s";

    private final SessionService sessions;
    private final Clock clock;

    SessionsCommand(Executor executor, SessionService sessions, Clock clock) {
        super(executor);
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    String name() {
        return "sessions";
    }

    @Override
    int run(Invocation invocation) throws UsageException {
        Arguments args = Arguments.parse(name(), invocation.words(), Set.of(), Set.of());
        args.expectPositional(name(), 0, 0, USAGE);
        List<SupportSession> open = sessions.openSessions();
        invocation.println(String.format(ROW, "ID", "STATE", "CASE", "CREATED BY", "AGE"));
        for (SupportSession session : open) {
            invocation.println(String.format(ROW, session.getId(), session.getState().name().toLowerCase(),
                    session.getCaseNumber() == null ? "-" : session.getCaseNumber(), session.getCreatedBy(),
                    age(Duration.between(session.getCreatedAt(), clock.instant()))));
        }
        return 0;
    }

    static String age(Duration age) {
        if (age.isNegative() || age.toMinutes() < 1) {
            return age.toSeconds() <= 0 ? "0s" : age.toSeconds() + "s";
        }
        if (age.toHours() < 1) {
            return age.toMinutes() + "m";
        }
        if (age.toDays() < 1) {
            return age.toHours() + "h" + (age.toMinutesPart() > 0 ? age.toMinutesPart() + "m" : "");
        }
        return age.toDays() + "d" + (age.toHoursPart() > 0 ? age.toHoursPart() + "h" : "");
    }
}
