package com.linbit.tunl.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.linbit.tunl.client.RelayAddress;

/** The agent's command line, with {@code TUNL_RELAY} and {@code TUNL_RELAY_CA} as fallbacks. */
record AgentOptions(Mode mode, String relayHost, int relayPort, List<Path> relayCaFiles, String sessionId, int sshPort) {

    /** Where a granted tunnel leads: this machine's sshd. */
    static final int DEFAULT_SSH_PORT = 22;

    private static final Pattern SESSION_ID = Pattern.compile("[a-z]{3,8}(-[a-z]{3,8}){3}");

    enum Mode {
        RESTRICTED, SHARE, TUNNEL;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        boolean allowsInput() {
            return this != RESTRICTED;
        }
    }

    /** Thrown for a command line the agent cannot run with; the message says what to change. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message);
        }
    }

    static AgentOptions parse(String[] args, Map<String, String> env) throws UsageError {
        Mode mode = Mode.SHARE;
        String relay = env.getOrDefault("TUNL_RELAY", "");
        List<Path> caFiles = new ArrayList<>();
        if (env.containsKey("TUNL_RELAY_CA") && !env.get("TUNL_RELAY_CA").isBlank()) {
            caFiles.add(Path.of(env.get("TUNL_RELAY_CA")));
        }
        String sessionId = null;
        int sshPort = DEFAULT_SSH_PORT;
        boolean modeGiven = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                value = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            switch (arg) {
                case "--restricted", "--tunnel" -> {
                    if (modeGiven) {
                        throw new UsageError("choose one of --restricted and --tunnel");
                    }
                    modeGiven = true;
                    mode = arg.equals("--restricted") ? Mode.RESTRICTED : Mode.TUNNEL;
                }
                case "--relay" -> relay = value != null ? value : next(args, ++i, arg);
                case "--relay-ca" -> caFiles.add(Path.of(value != null ? value : next(args, ++i, arg)));
                case "--ssh-port" -> sshPort = port(value != null ? value : next(args, ++i, arg));
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageError("unknown option " + arg);
                    }
                    if (sessionId != null) {
                        throw new UsageError("give one session ID (got " + sessionId + " and " + arg + ")");
                    }
                    sessionId = arg.trim().toLowerCase(java.util.Locale.ROOT);
                }
            }
        }
        if (sessionId == null) {
            throw new UsageError("the session ID is missing: support reads it to you, e.g. swift-fox-jumps-barrel");
        }
        if (!SESSION_ID.matcher(sessionId).matches()) {
            throw new UsageError("'" + sessionId + "' is not a session ID: it is four words joined by dashes,"
                    + " e.g. swift-fox-jumps-barrel");
        }
        RelayAddress address = RelayAddress.PRODUCTION;
        if (!relay.isBlank()) {
            try {
                address = RelayAddress.parse(relay, RelayAddress.PRODUCTION.port());
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
        }
        String host = address.host();
        int port = address.port();
        return new AgentOptions(mode, host, port, List.copyOf(caFiles), sessionId, sshPort);
    }

    private static int port(String text) throws UsageError {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UsageError("--ssh-port needs a port number from 1 to 65535, not '" + text + "'");
    }

    private static String next(String[] args, int index, String option) throws UsageError {
        if (index >= args.length) {
            throw new UsageError(option + " needs a value");
        }
        return args[index];
    }
}
