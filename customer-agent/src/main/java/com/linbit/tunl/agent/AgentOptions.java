package com.linbit.tunl.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.linbit.tunl.client.HttpProxy;
import com.linbit.tunl.client.RelayAddress;

/** The agent's command line, with {@code TUNL_RELAY} and {@code TUNL_RELAY_CA} as fallbacks. */
record AgentOptions(Mode mode, String relayHost, int relayPort, List<Path> relayCaFiles, String sessionId, int sshPort,
                    Duration reconnectFor, long bufferBytes, HttpProxy proxy) {

    /** Where a granted tunnel leads: this machine's sshd. */
    static final int DEFAULT_SSH_PORT = 22;
    static final Duration DEFAULT_RECONNECT_FOR = Duration.ofMinutes(15);
    /** Output kept for the relay while it is out of reach (the floor is 8 MB). */
    static final long DEFAULT_BUFFER_BYTES = 16L * 1024 * 1024;
    private static final long SMALLEST_BUFFER = 64L * 1024;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smh])");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,6})([KMG])");

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
        Duration reconnectFor = DEFAULT_RECONNECT_FOR;
        long bufferBytes = DEFAULT_BUFFER_BYTES;
        boolean modeGiven = false;
        String proxyUrl = null;
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
                case "--reconnect-for" -> reconnectFor = duration(value != null ? value : next(args, ++i, arg));
                case "--outage-buffer" -> bufferBytes = size(value != null ? value : next(args, ++i, arg));
                case "--proxy" -> proxyUrl = value != null ? value : next(args, ++i, arg);
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
        HttpProxy proxy;
        try {
            proxy = proxyUrl != null ? HttpProxy.parse(proxyUrl) : HttpProxy.fromEnvironment(env, host).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new UsageError((proxyUrl != null ? "--proxy: " : "https_proxy: ") + e.getMessage());
        }
        return new AgentOptions(mode, host, port, List.copyOf(caFiles), sessionId, sshPort, reconnectFor, bufferBytes, proxy);
    }

    private static Duration duration(String text) throws UsageError {
        Matcher parts = DURATION.matcher(text.trim());
        if (!parts.matches()) {
            throw new UsageError("--reconnect-for needs a time such as 90s, 15m or 2h, not '" + text + "'");
        }
        long amount = Long.parseLong(parts.group(1));
        return switch (parts.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static long size(String text) throws UsageError {
        Matcher parts = SIZE.matcher(text.trim().toUpperCase(java.util.Locale.ROOT));
        long bytes = 0;
        if (parts.matches()) {
            long unit = switch (parts.group(2)) {
                case "K" -> 1024L;
                case "M" -> 1024L * 1024;
                default -> 1024L * 1024 * 1024;
            };
            bytes = Long.parseLong(parts.group(1)) * unit;
        }
        if (bytes < SMALLEST_BUFFER || bytes > 4L * 1024 * 1024 * 1024) {
            throw new UsageError("--outage-buffer needs a size from 64K to 4G such as 16M, not '" + text + "'");
        }
        return bytes;
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
