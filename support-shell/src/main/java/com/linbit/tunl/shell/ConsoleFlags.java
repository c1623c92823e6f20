package com.linbit.tunl.shell;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flags before the command ({@code tunl --relay HOST:PORT sessions}) that override the config file
 * for one run, exactly like the {@code TUNL_*} environment variables they stand for. Options after
 * the command belong to the command ({@code tunl setup --relay ...}).
 */
record ConsoleFlags(Map<String, String> overrides, String[] rest) {

    /** Flag → the environment variable it overrides. */
    static final Map<String, String> FLAGS = Map.of(
            "--relay", "TUNL_RELAY",
            "--user", "TUNL_USER",
            "--identity", "TUNL_IDENTITY",
            "--ca-file", "TUNL_RELAY_CA");

    /** The property that carries an override into the application (see {@code Relay}). */
    static String property(String variable) {
        return "tunl.override." + variable;
    }

    static ConsoleFlags parse(String... args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        int index = 0;
        while (index < args.length) {
            String arg = args[index];
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String variable = FLAGS.get(flag);
            if (variable == null) {
                break;
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (index + 1 < args.length) {
                value = args[++index];
            } else {
                throw new IllegalArgumentException("option " + flag + " needs a value");
            }
            overrides.put(variable, value);
            index++;
        }
        return new ConsoleFlags(overrides, Arrays.copyOfRange(args, index, args.length));
    }
}
