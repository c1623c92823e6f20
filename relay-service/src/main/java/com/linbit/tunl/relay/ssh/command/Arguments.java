package com.linbit.tunl.relay.ssh.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Options ({@code --name value} or {@code --name=value}) and positional words of one command. */
final class Arguments {

    private final Map<String, String> options;
    private final List<String> positional;

    private Arguments(Map<String, String> options, List<String> positional) {
        this.options = options;
        this.positional = positional;
    }

    /**
     * @param valued the option names (without dashes) that take a value
     * @param flags  the option names that take none
     */
    static Arguments parse(String command, List<String> words, Set<String> valued, Set<String> flags)
            throws UsageException {
        Map<String, String> options = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("--")) {
                positional.addAll(words.subList(i + 1, words.size()));
                break;
            }
            if (!word.startsWith("--")) {
                positional.add(word);
                continue;
            }
            String name = word.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 == words.size()) {
                        throw new UsageException(command + ": option --" + name + " needs a value");
                    }
                    value = words.get(++i);
                }
            } else if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException(command + ": option --" + name + " takes no value");
                }
                value = "";
            } else {
                throw new UsageException(command + ": unknown option --" + name + "; see 'help'");
            }
            if (options.put(name, value) != null) {
                throw new UsageException(command + ": option --" + name + " given twice");
            }
        }
        return new Arguments(options, positional);
    }

    String option(String name) {
        return options.get(name);
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    List<String> positional() {
        return positional;
    }

    void expectPositional(String command, int min, int max, String usage) throws UsageException {
        if (positional.size() < min || positional.size() > max) {
            throw new UsageException(command + ": wrong number of arguments; usage: " + usage);
        }
    }
}
