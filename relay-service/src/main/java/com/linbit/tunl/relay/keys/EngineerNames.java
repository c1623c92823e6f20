package com.linbit.tunl.relay.keys;

import java.util.regex.Pattern;

/** The shape of an engineer's login name. */
public final class EngineerNames {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,31}");
    /** Four dash-joined words is how customers log in; an engineer must never look like that. */
    private static final Pattern SESSION_ID_SHAPE = Pattern.compile("[a-z]{3,8}(-[a-z]{3,8}){3}");

    private EngineerNames() {
    }

    public static String requireValid(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new KeyRejectedException("engineer name must be 1-32 characters: a lowercase letter,"
                    + " then lowercase letters, digits, '.', '_' or '-'");
        }
        if (SESSION_ID_SHAPE.matcher(name).matches()) {
            throw new KeyRejectedException("engineer name must not look like a session ID"
                    + " (four dash-joined words)");
        }
        return name;
    }
}
