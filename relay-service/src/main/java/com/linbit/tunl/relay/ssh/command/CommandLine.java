package com.linbit.tunl.relay.ssh.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the command string an SSH client sends into words the way a POSIX shell would for
 * quotes and backslashes, so {@code create-session --note "'disk full'"} keeps the note whole.
 */
final class CommandLine {

    private static final int MAX_LENGTH = 8192;

    private CommandLine() {
    }

    static List<String> split(String line) throws UsageException {
        if (line.length() > MAX_LENGTH) {
            throw new UsageException("command line is longer than " + MAX_LENGTH + " characters");
        }
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 == line.length()) {
                    throw new UsageException("command line ends with a lone backslash");
                }
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new UsageException("unterminated " + (quote == '"' ? "double" : "single") + " quote in command line");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
