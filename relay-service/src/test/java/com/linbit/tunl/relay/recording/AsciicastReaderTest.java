package com.linbit.tunl.relay.recording;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsciicastReaderTest {

    @Test
    void readsTheHeaderAndEveryEventWithEscapesDecoded() throws Exception {
        AsciicastReader cast = new AsciicastReader(new StringReader("""
                {"version": 2, "width": 100, "height": 30, "timestamp": 1700000000, "title": "swift-fox-jumps-barrel case 7"}
                [0.25, "o", "line\\r\\n\\u001b[1mbold\\u001b[0m \\u00e9"]

                [1.5, "r", "120x40"]
                """));

        assertThat(cast.header()).extracting("width", "height", "timestamp", "title")
                .containsExactly(100, 30, 1700000000L, "swift-fox-jumps-barrel case 7");
        List<AsciicastReader.Event> events = new ArrayList<>();
        for (AsciicastReader.Event event = cast.next(); event != null; event = cast.next()) {
            events.add(event);
        }
        assertThat(events).containsExactly(new AsciicastReader.Event(0.25, "o", "line\r\n\u001b[1mbold\u001b[0m é"),
                new AsciicastReader.Event(1.5, "r", "120x40"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"version\": 1, \"width\": 80, \"height\": 24}|line 1: not asciicast version 2",
            "{\"version\": 2, \"width\": 0, \"height\": 24}|line 1: the header has no positive width and height",
            "[0.1, \"o\", \"x\"]|line 1: the header is not a JSON object",
            "{\"version\": 2, \"width\": 80|line 1: not JSON"})
    void aBadHeaderIsRefusedWithItsReason(String header, String problem) {
        assertThatThrownBy(() -> new AsciicastReader(new StringReader(header + "\n")))
                .isInstanceOf(AsciicastReader.MalformedRecordingException.class).hasMessageStartingWith(problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[0.1, \"o\"]|line 3: an event is [time, code, data]",
            "[\"0.1\", \"o\", \"x\"]|line 3: an event is [time, code, data]",
            "[-1, \"o\", \"x\"]|line 3: an event's time must not be negative",
            "[0.1, \"o\", \"half|line 3: not JSON"})
    void aBadEventIsReportedWithItsLineNumber(String line, String problem) throws Exception {
        AsciicastReader cast = new AsciicastReader(new StringReader(
                "{\"version\": 2, \"width\": 80, \"height\": 24}\n[0, \"o\", \"fine\"]\n" + line + "\n"));
        assertThat(cast.next()).isNotNull();
        assertThatThrownBy(cast::next).isInstanceOf(AsciicastReader.MalformedRecordingException.class)
                .hasMessageStartingWith(problem);
    }
}
