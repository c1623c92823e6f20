package com.linbit.tunl.relay.recording;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingsRepairTest {

    @TempDir
    Path folder;

    @Test
    void aHalfWrittenLastEventIsCutBackToTheLastWholeOne() throws Exception {
        Path cast = folder.resolve("swift-fox-jumps-barrel-part1.cast");
        String whole = "{\"version\": 2, \"width\": 80, \"height\": 24}\n[0.1, \"o\", \"hello\"]\n";
        String torn = "[0.2, \"o\", \"hal";
        Files.writeString(cast, whole + torn, StandardCharsets.UTF_8);
        assertThat(Recordings.repairLastLine(cast)).isEqualTo(torn.length());
        assertThat(Files.readString(cast)).isEqualTo(whole);
        assertThat(Recordings.repairLastLine(cast)).as("a whole file is left alone").isZero();
        assertThat(Files.readString(cast)).isEqualTo(whole);
    }
}
