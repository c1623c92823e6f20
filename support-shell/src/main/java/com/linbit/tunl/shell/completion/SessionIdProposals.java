package com.linbit.tunl.shell.completion;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.linbit.tunl.shell.relay.Relay;
import com.linbit.tunl.shell.relay.RelayException;

import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;

/**
 * The open sessions' IDs as proposals for a command's first argument. The list is fetched from
 * the relay at most every few seconds, so repeated Tab presses do not each cost a connection;
 * when the relay cannot be asked, there is simply nothing to propose.
 */
final class SessionIdProposals implements CompletionProvider {

    private static final Duration FRESH = Duration.ofSeconds(5);

    private final Relay relay;
    private final Clock clock;
    private List<String> ids = List.of();
    private Instant fetchedAt = Instant.MIN;

    SessionIdProposals(Relay relay) {
        this(relay, Clock.systemUTC());
    }

    SessionIdProposals(Relay relay, Clock clock) {
        this.relay = relay;
        this.clock = clock;
    }

    @Override
    public List<CompletionProposal> apply(CompletionContext context) {
        Command command = context.getCommand();
        if (command == null || context.getCommandOption() != null
                || context.getWordIndex() != command.getName().split(" ").length) {
            return List.of();
        }
        String typed = context.currentWordUpToCursor() == null ? "" : context.currentWordUpToCursor();
        return openSessionIds().stream().filter(id -> id.startsWith(typed)).map(CompletionProposal::new).toList();
    }

    private synchronized List<String> openSessionIds() {
        Instant now = clock.instant();
        if (fetchedAt.plus(FRESH).isBefore(now) && relay.isConfigured()) {
            try {
                ids = parseSessionsTable(relay.run(List.of("sessions")));
            } catch (RelayException e) {
                ids = List.of();
            }
            fetchedAt = now;
        }
        return ids;
    }

    /** The first column of the relay's {@code sessions} table, below its header. */
    static List<String> parseSessionsTable(String table) {
        return table.lines().skip(1).map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+", 2)[0]).toList();
    }
}
