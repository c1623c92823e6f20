package com.linbit.tunl.protocol;

/** The protocol's fixed limits (docs/protocol.md). */
public final class Limits {

    /** The protocol version this build speaks; version 3 added AGENT_NOTICE. */
    public static final int VERSION = 3;
    /** The oldest version a relay of this build still serves. */
    public static final int OLDEST_VERSION = 2;
    /** Largest frame body (type byte plus payload). */
    public static final int MAX_FRAME = 1024 * 1024;
    /** Largest piece of terminal output one OUTPUT frame carries. */
    public static final int MAX_OUTPUT_CHUNK = 32 * 1024;
    /** Longest chat line, in characters. */
    public static final int MAX_CHAT_CHARS = 2000;
    /** Longest text field other than chat and output (names, reasons, notices), in bytes. */
    public static final int MAX_TEXT_BYTES = 8 * 1024;
    /** Largest screen a SNAPSHOT carries: the frame limit less its type and size fields. */
    public static final int MAX_SNAPSHOT_SCREEN = MAX_FRAME - 5;
    /** Terminal sizes are clamped to 1..MAX_TERMINAL in both directions. */
    public static final int MAX_TERMINAL = 10_000;

    private Limits() {
    }

    public static int clampTerminal(int size) {
        return Math.max(1, Math.min(MAX_TERMINAL, size));
    }
}
