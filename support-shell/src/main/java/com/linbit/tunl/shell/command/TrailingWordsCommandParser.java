package com.linbit.tunl.shell.command;

import java.util.ArrayList;
import java.util.List;

import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.DefaultCommandParser;
import org.springframework.shell.core.command.ParsedInput;
import org.springframework.stereotype.Component;

/**
 * Spring Shell's parser, plus the Unix convention that {@code --} ends the options, for
 * {@code ssh}: the words after it ({@code ssh <id> -- uname -a}) are kept whole for the command
 * ({@link #takeTrailingWords()}) instead of being read as options. Parsing and running happen on
 * the same thread.
 */
@Component
class TrailingWordsCommandParser implements CommandParser {

    private static final ThreadLocal<List<String>> TRAILING = ThreadLocal.withInitial(List::of);

    private final DefaultCommandParser delegate;

    TrailingWordsCommandParser(CommandRegistry registry) {
        this.delegate = new DefaultCommandParser(registry);
    }

    @Override
    public ParsedInput parse(String input) {
        // Only ssh takes words after --; for every other command they stay where they are (and
        // a stray -- is an error there), never silently dropped.
        Split split = input.strip().startsWith("ssh ") ? split(input) : new Split(input, List.of());
        TRAILING.set(split.trailing());
        return delegate.parse(split.head());
    }

    /** The words after {@code --} in the line being run; empty when there were none. */
    static List<String> takeTrailingWords() {
        List<String> words = TRAILING.get();
        TRAILING.remove();
        return words;
    }

    /** The line before a standalone {@code --} outside quotes, and the words after it. */
    static Split split(String input) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        int headEnd = -1;
        for (int i = 0; i <= input.length(); i++) {
            char c = i < input.length() ? input.charAt(i) : ' ';
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < input.length()) {
                    word.append(input.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < input.length()) {
                word.append(input.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    if (headEnd < 0 && word.toString().equals("--") && isBare(input, i - 2)) {
                        headEnd = i - 2;
                    } else if (headEnd >= 0) {
                        words.add(word.toString());
                    }
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0 && headEnd >= 0 && word.length() > 0) {
            // A quote left open at the end still ends the word (the closing sentinel went into it).
            words.add(word.substring(0, word.length() - 1));
        }
        return headEnd < 0 ? new Split(input, List.of()) : new Split(input.substring(0, headEnd), List.copyOf(words));
    }

    /** A typed {@code --}, not a quoted "--". */
    private static boolean isBare(String input, int start) {
        return start >= 0 && input.startsWith("--", start) && (start == 0 || Character.isWhitespace(input.charAt(start - 1)));
    }

    record Split(String head, List<String> trailing) {
    }
}
