package com.linbit.tunl.shell.relay;

import java.util.regex.Pattern;

/**
 * The shape of a session ID, checked before one goes into a tmux config, an ssh command line or a
 * ProxyCommand; whether the session exists is the relay's to say.
 */
public final class SessionIds {

    private static final Pattern SHAPE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+){0,15}");

    private SessionIds() {
    }

    /** @throws RelayException when {@code id} cannot be a session ID */
    public static String require(String id) {
        if (id == null || !SHAPE.matcher(id).matches()) {
            throw new RelayException("no session '" + id + "': session IDs look like swift-fox-jumps-barrel; see 'sessions'");
        }
        return id;
    }
}
