package com.linbit.tunl.relay.recording;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.testing.CustomerAgent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A recording that cannot be written: by default the session ends, with the reason, audited; with
 * {@code on-failure=continue} it goes on and everyone is told it is not recorded. The tests run as
 * root, whom permissions do not stop, so the recording directory is a plain file instead.
 */
class RecordingFailureIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void byDefaultTheSessionEndsAndEveryoneIsToldWhy() throws Exception {
        Path notADirectory = Files.writeString(temp.resolve("recordings-blocked"), "a file, not a folder");
        try (RelayFixture fixture = RelayFixture.start(temp, "tunl.recording.directory=" + notADirectory)) {
            String id = fixture.ssh().ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "create-session")
                    .lines().get(0);
            try (CustomerAgent customer = CustomerAgent.start(temp.resolve("customer"), fixture.relay().sshPort(),
                    fixture.caFile(), id)) {
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal())
                        .contains("The relay could not record the session, so it ended it", "AGENT-EXIT=0"));
            }
            assertThat(fixture.relay().jdbc().sql("select state || '|' || close_reason from support_session where id = ?")
                    .param(id).query(String.class).single()).isEqualTo("CLOSED|recording-failed");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(fixture.relay().audit("recording-failed"))
                    .singleElement().asString().startsWith("end|relay|cannot create a recording in " + notADirectory));
        }
    }

    @Test
    void withContinueTheSessionGoesOnAndEveryoneIsWarned() throws Exception {
        Path notADirectory = Files.writeString(temp.resolve("recordings-blocked"), "a file, not a folder");
        try (RelayFixture fixture = RelayFixture.start(temp, "tunl.recording.directory=" + notADirectory,
                "tunl.recording.on-failure=continue")) {
            String id = fixture.ssh().ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "create-session")
                    .lines().get(0);
            try (CustomerAgent customer = CustomerAgent.start(temp.resolve("customer"), fixture.relay().sshPort(),
                    fixture.caFile(), id)) {
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane())
                        .contains("warning: this session is no longer recorded on the relay"));
                customer.typeInShell("echo still-here-$((5+5))");
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("still-here-10"));
                assertThat(fixture.relay().jdbc().sql("select state from support_session where id = ?").param(id)
                        .query(String.class).single()).isEqualTo("ACTIVE");
                assertThat(fixture.relay().audit("recording-failed")).singleElement().asString().startsWith("continue|relay|");
            }
        }
    }
}
