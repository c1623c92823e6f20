package com.linbit.tunl.relay.recording;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingExportTest {

    @TempDir
    Path folder;

    @Test
    void partsBecomeOneCastOnOneClockWithTheLaterSizeAnnounced() throws Exception {
        Path first = folder.resolve("swift-fox-jumps-barrel-part1.cast");
        Files.writeString(first, """
                {"version": 2, "width": 80, "height": 24, "timestamp": 1000, "title": "swift-fox-jumps-barrel case 7"}
                [0.500000, "o", "before "]
                [2.000000, "r", "100x30"]
                """);
        Path second = folder.resolve("swift-fox-jumps-barrel-part2.cast");
        Files.writeString(second, """
                {"version": 2, "width": 120, "height": 40, "timestamp": 1010, "title": "swift-fox-jumps-barrel case 7"}
                [0.250000, "o", "after, with a comma"]
                """);

        StringWriter cast = new StringWriter();
        RecordingExport.write(List.of(first, second), cast);

        assertThat(cast.toString().lines().toList()).containsExactly(
                "{\"version\": 2, \"width\": 80, \"height\": 24, \"timestamp\": 1000, \"title\": \"swift-fox-jumps-barrel case 7\"}",
                "[0.5,\"o\",\"before \"]",
                "[2.0,\"r\",\"100x30\"]",
                "[10.0,\"r\",\"120x40\"]",
                "[10.25,\"o\",\"after, with a comma\"]");
    }

    @Test
    void aLineThatIsNotAsciicastIsLeftOutAndTheRestStillPlays() throws Exception {
        Path part = folder.resolve("swift-fox-jumps-barrel-part1.cast");
        Files.writeString(part, """
                {"version": 2, "width": 80, "height": 24, "timestamp": 1000}
                [0.5, "o", "kept"]
                [0.7, "o", "half-wri
                [0.9, "o", "\\u00e9 kept too"]
                """);

        StringWriter cast = new StringWriter();
        RecordingExport.write(List.of(part), cast);

        assertThat(cast.toString().lines().skip(1).toList()).containsExactly("[0.5,\"o\",\"kept\"]", "[0.9,\"o\",\"\u00e9 kept too\"]");
    }
}
