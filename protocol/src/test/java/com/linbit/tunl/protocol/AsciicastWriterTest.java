package com.linbit.tunl.protocol;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AsciicastWriterTest {

    @Test
    void writesHeaderAndEventsWithSplitUtf8Joined() throws Exception {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong(1_000_000_000L);
        AsciicastWriter cast = new AsciicastWriter(text, 80, 24, 1_700_000_000L, "swift-fox-jumps-barrel case 4711", now::get);
        byte[] umlaut = "ä".getBytes(StandardCharsets.UTF_8);
        now.addAndGet(500_000_000L);
        cast.output(new byte[] {'a', umlaut[0]});
        cast.output(new byte[] {umlaut[1], '\r', '\n', 0x1b, '[', 'm', '"'});
        now.addAndGet(250_000_000L);
        cast.resize(100, 30);
        cast.output(new byte[] {(byte) 0xff});
        cast.close();

        assertThat(text.toString().split("\n")).containsExactly(
                "{\"version\": 2, \"width\": 80, \"height\": 24, \"timestamp\": 1700000000, \"title\": \"swift-fox-jumps-barrel case 4711\"}",
                "[0.500000, \"o\", \"a\"]",
                "[0.500000, \"o\", \"ä\\r\\n\\u001b[m\\\"\"]",
                "[0.750000, \"r\", \"100x30\"]",
                "[0.750000, \"o\", \"\uFFFD\"]");
    }
}
