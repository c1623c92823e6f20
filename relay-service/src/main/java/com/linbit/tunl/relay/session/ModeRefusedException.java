package com.linbit.tunl.relay.session;

/** The customer asked for more access than the session already has; it can only step down. */
public class ModeRefusedException extends RuntimeException {

    ModeRefusedException(SessionMode current, SessionMode requested) {
        super("this session runs in " + current.wireName() + " mode and cannot be raised to "
                + requested.wireName() + "; start it again with " + flag(current)
                + " or ask support for a new session");
    }

    private static String flag(SessionMode mode) {
        return switch (mode) {
            case RESTRICTED -> "--restricted";
            case SHARE -> "no mode flag";
            case TUNNEL -> "--tunnel";
        };
    }
}
