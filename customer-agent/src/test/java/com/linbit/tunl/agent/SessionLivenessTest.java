package com.linbit.tunl.agent;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SessionLivenessTest {

    @TempDir
    Path runtime;

    @Test
    void aSessionRunsWhileItsMarkIsHeldAndNotAfter() throws Exception {
        assertThat(SessionLiveness.running(runtime, "swift-fox-jumps-barrel")).isFalse();
        try (SessionLiveness alive = SessionLiveness.hold(runtime, "swift-fox-jumps-barrel")) {
            assertThat(SessionLiveness.running(runtime, "swift-fox-jumps-barrel")).isTrue();
            assertThat(SessionLiveness.running(runtime, "calm-bear-naps-log")).isFalse();
        }
        assertThat(SessionLiveness.running(runtime, "swift-fox-jumps-barrel")).as("a leftover file is not a running agent").isFalse();
    }
}
