package com.linbit.tunl.relay.ssh.command;

import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.session.SupportSession;

/** {@code history [--case N] [--mine] [--limit N]}: closed sessions, newest first. */
final class HistoryCommand extends SupportCommand {

    static final String USAGE = "history [--case CASE] [--mine] [--limit N]";
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 1000;
    private static final String ROW = "%-34s %-12s %-16s %-20s %s";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    private final SessionService sessions;

    HistoryCommand(Executor executor, SessionService sessions) {
        super(executor);
        this.sessions = sessions;
    }

    @Override
    String name() {
        return "history";
    }

    @Override
    int run(Invocation invocation) throws UsageException {
        Arguments args = Arguments.parse(name(), invocation.words(), Set.of("case", "limit"), Set.of("mine"));
        args.expectPositional(name(), 0, 0, USAGE);
        int limit = DEFAULT_LIMIT;
        if (args.option("limit") != null) {
            try {
                limit = Integer.parseInt(args.option("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new UsageException(name() + ": --limit takes a number from 1 to " + MAX_LIMIT);
            }
        }
        List<SupportSession> closed = sessions.history(args.option("case"), args.flag("mine") ? invocation.user() : null, limit);
        invocation.println(String.format(ROW, "ID", "CASE", "CREATED BY", "CLOSED", "REASON"));
        for (SupportSession session : closed) {
            invocation.println(String.format(ROW, session.getId(),
                    session.getCaseNumber() == null ? "-" : session.getCaseNumber(), session.getCreatedBy(),
                    session.getClosedAt() == null ? "-" : TIME.format(session.getClosedAt()),
                    session.getCloseReason() == null ? "-" : session.getCloseReason()));
        }
        return 0;
    }
}
