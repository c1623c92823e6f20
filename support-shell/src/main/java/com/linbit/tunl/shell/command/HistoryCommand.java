package com.linbit.tunl.shell.command;

import java.util.ArrayList;
import java.util.List;

import com.linbit.tunl.shell.relay.Relay;

import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code history}: closed sessions, newest first. (Spring Shell's own {@code history}, the list of
 * typed commands, is switched off: the name belongs to sessions here; arrow keys still recall.)
 */
@Component("sessionHistoryCommand")
class HistoryCommand {

    private final Relay relay;

    HistoryCommand(Relay relay) {
        this.relay = relay;
    }

    @Command(name = "history", group = "Sessions", availabilityProvider = "relayConfigured",
            description = "list closed sessions, newest first", help = "history [--case N] [--mine] [--limit N]")
    String history(@Option(longName = "case", description = "only this case") String caseNumber,
                   @Option(longName = "mine", description = "only sessions you created") boolean mine,
                   @Option(longName = "limit", description = "at most this many (default 20)") Integer limit) {
        List<String> words = new ArrayList<>(List.of("history"));
        if (caseNumber != null) {
            words.addAll(List.of("--case", caseNumber));
        }
        if (mine) {
            words.add("--mine");
        }
        if (limit != null) {
            words.addAll(List.of("--limit", limit.toString()));
        }
        return relay.run(words).stripTrailing();
    }
}
