package com.linbit.tunl.relay.session;

import java.util.Locale;
import java.util.Optional;

/** What support may do, in increasing order of access; a session may step down, never up. */
public enum SessionMode {
    RESTRICTED,
    SHARE,
    TUNNEL;

    public boolean allowsInput() {
        return this != RESTRICTED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SessionMode> fromWire(String name) {
        for (SessionMode mode : values()) {
            if (mode.wireName().equals(name)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
