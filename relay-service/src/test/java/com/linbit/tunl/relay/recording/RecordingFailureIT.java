package com.linbit.tunl.relay.recording;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.relay.support.TestRelay;
import com.linbit.tunl.testing.CustomerAgent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A recording that cannot be written: by default the session ends, with the reason, audited; with
 * {@code on-failure=continue} it goes on and everyone is told it is not recorded. The tests run as
 * root, whom permissions do not stop, so the recording directory is a plain file instead, or a real
 * tmpfs too small for the session's output (root may mount one) to fill the disk mid-session.
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
                customerLeavesAfterTheRelayEndedIt(customer);
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

    @Test
    void aDiskThatFillsMidSessionEndsTheSessionAndKeepsWhatWasWritten() throws Exception {
        Path smallDisk = Files.createDirectories(temp.resolve("small-disk"));
        run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tunl-test-recordings", smallDisk.toString());
        try (RelayFixture fixture = RelayFixture.start(temp, "tunl.recording.directory=" + smallDisk)) {
            String id = fixture.ssh().ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "create-session")
                    .lines().get(0);
            try (CustomerAgent customer = CustomerAgent.start(temp.resolve("customer"), fixture.relay().sshPort(),
                    fixture.caFile(), id)) {
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));
                customer.typeInShell("echo before-the-disk-fills-$((3*3))");
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("before-the-disk-fills-9"));
                customer.typeInShell("head -c 200000 /dev/zero | base64");
                customerLeavesAfterTheRelayEndedIt(customer);
            }
            TestRelay relay = fixture.relay();
            assertThat(relay.jdbc().sql("select state || '|' || close_reason from support_session where id = ?")
                    .param(id).query(String.class).single()).isEqualTo("CLOSED|recording-failed");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(relay.audit("recording-failed")).singleElement()
                    .asString().startsWith("end|relay|cannot write " + id + "-part1.cast: No space left on device"));

            Recordings recordings = relay.bean(Recordings.class);
            await().atMost(PATIENCE).until(() -> recordings.hasRecording(id));
            assertThat(recordings.check(id)).singleElement().matches(Recordings.PartCheck::intact, "kept with its hash");
            Path part = Path.of(recordings.check(id).get(0).file());
            StringBuilder output = new StringBuilder();
            try (AsciicastReader cast = new AsciicastReader(Files.newBufferedReader(part))) {
                for (AsciicastReader.Event event = cast.next(); event != null; event = cast.next()) {
                    output.append(event.data());
                }
            }
            assertThat(output).as("every line up to the failure is whole").contains("before-the-disk-fills-9");
        } finally {
            run("umount", "-l", smallDisk.toString());
        }
    }

    /** The relay ended the session; the customer's shell stays until the customer leaves. */
    private static void customerLeavesAfterTheRelayEndedIt(CustomerAgent customer) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane().replace("\n", ""))
                .contains("The relay could not record the session, so it ended it"));
        customer.press("C-b", "Q");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal())
                .contains("The relay could not record the session, so it ended it", "AGENT-EXIT=0"));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s (this test mounts a small tmpfs and so runs as root): %s",
                String.join(" ", command), out).isZero();
    }
}
