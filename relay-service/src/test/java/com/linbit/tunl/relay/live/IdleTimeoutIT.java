package com.linbit.tunl.relay.live;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.EngineerStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session nobody uses closes after the idle timeout (10 s here instead of 60 min), with warnings
 * in the chat before; an engineer only watching does not keep it open, typing does. The relay's
 * close takes everything from support but nothing from the customer: a quiet job (a long resync)
 * keeps running in the shell until the customer leaves.
 */
class IdleTimeoutIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void aQuietSessionIsWarnedThenClosedAndTypingStartsTheCountAgain() throws Exception {
        try (RelayFixture fixture = RelayFixture.start(temp, "tunl.session.idle-timeout=10s",
                "tunl.session.idle-warnings=6s,3s", "tunl.session.idle-check-interval=250ms")) {
            String id = fixture.ssh().ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "create-session")
                    .lines().get(0);
            try (CustomerAgent customer = CustomerAgent.start(temp.resolve("customer"), fixture.relay().sshPort(),
                    fixture.caFile(), id);
                 EngineerStream watcher = EngineerStream.open(fixture.ssh(), fixture.aliceKey(), fixture.relay().sshPort(),
                         "alice", "join", id)) {
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane())
                        .contains("this session closes in 6 seconds unless someone types"));
                // A job that prints nothing for a long time, like a DRBD resync waited on.
                customer.typeInShell("sleep 600 & echo still-here-$((2*4)) job=$!");
                long typed = System.nanoTime();
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(watcher.output()).contains("still-here-8"));
                long job = Long.parseLong(customer.shellPane().replaceAll("(?s).*still-here-8 job=(\\d+).*", "$1"));
                Thread.sleep(Math.max(0, 7500 - (System.nanoTime() - typed) / 1_000_000));
                assertThat(state(fixture, id)).as("typing started the count again").isEqualTo("ACTIVE");

                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane().replace("\n", ""))
                        .contains("The session ended after a long time without activity.", "Ctrl-b Q (or exit in the shell) leaves"));
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(watcher.output())
                        .contains("closes in 3 seconds", "session ended after a long time without input or output"));
                assertThat(state(fixture, id)).isEqualTo("CLOSED");
                assertThat(fixture.relay().audit("session-closed")).containsExactly("idle|relay|");
                assertThat(ProcessHandle.of(job)).as("the customer's job runs on").hasValueSatisfying(
                        process -> assertThat(process.isAlive()).isTrue());
                customer.typeInShell("echo the-shell-is-mine-$((5+5))");
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("the-shell-is-mine-10"));

                customer.press("C-b", "Q");
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal())
                        .contains("The session ended after a long time without activity.", "AGENT-EXIT=0"));
                assertThat(customer.agentTmuxAlive()).isFalse();
            }
        }
    }

    private static String state(RelayFixture fixture, String id) {
        return fixture.relay().jdbc().sql("select state from support_session where id = ?").param(id)
                .query(String.class).single();
    }
}
