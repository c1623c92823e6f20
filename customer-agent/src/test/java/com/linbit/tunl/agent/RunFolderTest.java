package com.linbit.tunl.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A run's folder in /tmp goes at its end; one a killed run left goes at the next start, unless that agent still runs. */
class RunFolderTest {

    @TempDir
    Path home;

    @Test
    void whatAKilledRunLeftIsRemovedAtTheNextStartButNotWhatARunningAgentUses() throws Exception {
        StateDirectory state = StateDirectory.of(TestAccounts.runningUser(home), Map.of());
        RunFolder killed = RunFolder.create(state, "swift-fox-jumps-barrel", id -> false);
        Files.writeString(killed.path().resolve("tmux.conf"), "left behind");
        RunFolder alive = RunFolder.create(state, "calm-lake-sings-tune", id -> false);

        try (RunFolder next = RunFolder.create(state, "bold-owl-hums-bridge", id -> id.equals("calm-lake-sings-tune"))) {
            assertThat(killed.path()).as("left by an agent that no longer runs").doesNotExist();
            assertThat(alive.path()).as("the folder of an agent that still runs").isDirectory();
            assertThat(next.path().toString()).matches("/tmp/tunl-\\d+");
        }
        alive.close();

        assertThat(alive.path()).doesNotExist();
        try (var records = Files.list(state.runtime())) {
            assertThat(records.map(file -> file.getFileName().toString())).noneMatch(name -> name.endsWith(".folder"));
        }
        killed.close();
    }

    @Test
    void aNewRunOfTheSameSessionRemovesTheFolderOfTheRunBefore() throws Exception {
        StateDirectory state = StateDirectory.of(TestAccounts.runningUser(home), Map.of());
        RunFolder before = RunFolder.create(state, "swift-fox-jumps-barrel", id -> true);

        try (RunFolder again = RunFolder.create(state, "swift-fox-jumps-barrel", id -> true)) {
            assertThat(before.path()).doesNotExist();
            assertThat(again.path()).isDirectory();
        }
        before.close();
    }
}
