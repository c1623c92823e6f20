package com.linbit.tunl.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed bytes as tmux key codes ({@code 0x68}), for tmux older than 3.0, which has no
 * {@code send-keys -H}: a code up to 0x7f reaches the pane as that byte (ESC, ^C and DEL included),
 * a higher code as the UTF-8 of that code point. So UTF-8 text arrives byte for byte; bytes that are
 * not UTF-8 cannot be typed this way and are counted, not guessed at.
 */
record KeyCodes(List<String> words, int untypable) {

    static KeyCodes of(byte[] bytes) {
        List<String> words = new ArrayList<>(bytes.length);
        int untypable = 0;
        int i = 0;
        while (i < bytes.length) {
            int first = bytes[i] & 0xff;
            int length = first < 0x80 ? 1 : first >= 0xc2 && first <= 0xdf ? 2 : first >= 0xe0 && first <= 0xef ? 3
                    : first >= 0xf0 && first <= 0xf4 ? 4 : 0;
            int codePoint = length == 1 ? first : decode(bytes, i, length);
            if (codePoint < 0) {
                untypable++;
                i++;
                continue;
            }
            words.add(String.format("0x%02x", codePoint));
            i += length;
        }
        return new KeyCodes(List.copyOf(words), untypable);
    }

    /** The code point of the {@code length}-byte sequence at {@code start}, or -1 when it is not well-formed UTF-8. */
    private static int decode(byte[] bytes, int start, int length) {
        if (length == 0 || start + length > bytes.length) {
            return -1;
        }
        int codePoint = bytes[start] & (0xff >> (length + 1));
        for (int k = 1; k < length; k++) {
            int next = bytes[start + k] & 0xff;
            if ((next & 0xc0) != 0x80) {
                return -1;
            }
            codePoint = (codePoint << 6) | (next & 0x3f);
        }
        boolean shortest = length == 2 || (length == 3 && codePoint >= 0x800) || (length == 4 && codePoint >= 0x10000);
        boolean scalar = codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
        return shortest && scalar ? codePoint : -1;
    }
}
