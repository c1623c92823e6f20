package com.linbit.tunl.relay.chat;

/**
 * Chat is plain text: control characters (escape sequences start with one) are shown in caret
 * notation (ESC becomes {@code ^[}) and bidirectional overrides are dropped, so a chat line can
 * never move a cursor, recolour a terminal or disguise itself.
 */
public final class ChatText {

    public static final int MAX_CHARS = 2000;

    private ChatText() {
    }

    /** The line as it will be stored and shown. */
    public static String neutralise(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\t') {
                out.append(' ');
            } else if (cp < 0x20) {
                out.append('^').append((char) (cp + 0x40));
            } else if (cp == 0x7f) {
                out.append("^?");
            } else if (cp >= 0x80 && cp < 0xa0) {
                out.append("^").append(Integer.toHexString(cp));
            } else if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f) {
                // bidirectional controls: dropped
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
