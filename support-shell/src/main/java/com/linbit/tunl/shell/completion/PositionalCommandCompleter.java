package com.linbit.tunl.shell.completion;

import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.jline.CommandCompleter;

/**
 * Spring Shell 4.0.1 takes every word before the cursor as part of the command name, so
 * {@code join sw<TAB>} looks for a command "join sw" and proposes nothing (fixed upstream after
 * 4.0.1, spring-shell#1346). When it has nothing, this asks the command named by the longest
 * leading words for proposals for the word under the cursor.
 */
final class PositionalCommandCompleter extends CommandCompleter {

    private final CommandRegistry registry;

    PositionalCommandCompleter(CommandRegistry registry) {
        super(registry);
        this.registry = registry;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        super.complete(reader, line, candidates);
        List<String> words = line.words();
        int index = line.wordIndex();
        if (!candidates.isEmpty() || index >= words.size() || words.get(index).startsWith("-")) {
            return;
        }
        for (int count = index; count >= 1; count--) {
            Command command = registry.getCommandByName(String.join(" ", words.subList(0, count)));
            if (command != null) {
                CompletionContext context = new CompletionContext(words, index, line.wordCursor(), command, null);
                for (CompletionProposal proposal : command.getCompletionProvider().apply(context)) {
                    candidates.add(new Candidate(proposal.value(), proposal.displayText(), proposal.category(),
                            proposal.description(), null, null, proposal.complete(), 0));
                }
                return;
            }
        }
    }
}
