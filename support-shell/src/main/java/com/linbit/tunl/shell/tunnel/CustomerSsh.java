package com.linbit.tunl.shell.tunnel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.linbit.tunl.shell.SelfCommand;
import com.linbit.tunl.shell.relay.RelayException;
import com.linbit.tunl.shell.relay.SessionIds;
import com.linbit.tunl.shell.relay.ShellConfig;

/**
 * The stock OpenSSH client aimed at a customer's sshd through the session's tunnel: its
 * ProxyCommand is {@code tunl __proxy <id>}, so the relay is reached (and verified) exactly as the
 * console reaches it, and everything else — terminal, keys, {@code -D} — is ssh's own. The
 * customer's host key is learned on first use into the console's own known_hosts, under the
 * session ID.
 */
public final class CustomerSsh {

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,31}");

    private CustomerSsh() {
    }

    /**
     * @param sshOptions    options before the destination, e.g. {@code -N -D 127.0.0.1:1080}
     * @param remoteCommand what to run there; empty for a login shell
     */
    public static ProcessBuilder command(ShellConfig config, Map<String, String> environment, String sessionId, String user,
                                         List<String> sshOptions, List<String> remoteCommand) {
        SessionIds.require(sessionId);
        if (!USER.matcher(user).matches()) {
            throw new RelayException("'" + user + "' is not a user name");
        }
        Path knownHosts = ShellConfig.file(environment).resolveSibling("known_hosts");
        List<String> words = new ArrayList<>(List.of("ssh", "-F", "/dev/null",
                "-o", "ProxyCommand=" + SelfCommand.shellLine(SelfCommand.of(ProxyClient.COMMAND, sessionId)),
                "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=accept-new",
                "-o", "ServerAliveInterval=30",
                "-l", user));
        if (config.identity() != null) {
            words.addAll(List.of("-i", config.identity().toString()));
        }
        words.addAll(sshOptions);
        words.add(sessionId);
        words.addAll(remoteCommand);
        ProcessBuilder builder = new ProcessBuilder(words);
        builder.environment().clear();
        builder.environment().putAll(environment);
        // The proxy must use this very configuration, flags before the command included.
        builder.environment().put("TUNL_RELAY", config.relay().toString());
        builder.environment().put("TUNL_USER", config.user());
        builder.environment().put("TUNL_RELAY_CA", config.caFile().toString());
        if (config.identity() != null) {
            builder.environment().put("TUNL_IDENTITY", config.identity().toString());
        }
        return builder;
    }
}
