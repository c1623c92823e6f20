package com.linbit.tunl.agent;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyCodesTest {

    @Test
    void asciiControlKeysAndUtf8BecomeOneCodeEach() {
        byte[] typed = "h\u001b[A\u0003\u007f\u00e9\u20ac\ud834\udd1e\r".getBytes(StandardCharsets.UTF_8);

        assertThat(KeyCodes.of(typed)).isEqualTo(new KeyCodes(java.util.List.of("0x68", "0x1b", "0x5b", "0x41", "0x03",
                "0x7f", "0xe9", "0x20ac", "0x1d11e", "0x0d"), 0));
    }

    @Test
    void bytesThatAreNotUtf8AreCountedNotGuessedAt() {
        // a lone continuation byte, a cut sequence, an overlong NUL, a surrogate, beyond U+10FFFF
        byte[] typed = {(byte) 0x80, 'a', (byte) 0xe2, (byte) 0x82, 'b', (byte) 0xc0, (byte) 0x80,
            (byte) 0xed, (byte) 0xa0, (byte) 0x80, (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80};

        KeyCodes codes = KeyCodes.of(typed);

        assertThat(codes.words()).containsExactly("0x61", "0x62");
        assertThat(codes.untypable()).isEqualTo(12);
    }
}
