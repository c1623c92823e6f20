package com.linbit.tunl.relay.resilience;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.relay.recording.Recordings;
import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.relay.support.SimulatedAgent;
import com.linbit.tunl.testing.EngineerStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A small load, for correctness, not speed: 20 sessions at once, each with a protocol-level agent
 * and two engineers watching through stock ssh, all sending at the same time. Every viewer sees
 * exactly its own session's lines, in order; every agent gets both its engineers' keystrokes;
 * every recording holds every line. (All of it comes from 127.0.0.1, hence the higher per-address cap.)
 */
class LoadIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int SESSIONS = 20;
    private static final int LINES = 300;

    @TempDir
    Path temp;

    @Test
    void twentySessionsWithTwoViewersEachKeepTheirDataApartAndComplete() throws Exception {
        try (RelayFixture fixture = RelayFixture.start(temp, "tunl.session.max-open-per-engineer=" + SESSIONS,
                "tunl.ssh.max-connections-per-address=100")) {
            Path bob = fixture.relay().registerEngineer(fixture.ssh(), "bob");
            List<String> ids = new ArrayList<>();
            List<SimulatedAgent> agents = new ArrayList<>();
            List<EngineerStream> viewers = new ArrayList<>();
            try {
                for (int s = 0; s < SESSIONS; s++) {
                    String id = fixture.ssh().ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "create-session")
                            .lines().get(0);
                    ids.add(id);
                    agents.add(SimulatedAgent.connect(fixture.relay().sshPort(), fixture.caFile(), id));
                    viewers.add(EngineerStream.open(fixture.ssh(), fixture.aliceKey(), fixture.relay().sshPort(), "alice", "join", id));
                    viewers.add(EngineerStream.open(fixture.ssh(), bob, fixture.relay().sshPort(), "bob", "join", id));
                }
                for (EngineerStream viewer : viewers) {
                    await().atMost(PATIENCE).untilAsserted(() -> assertThat(viewer.output()).contains("joined"));
                }

                ExecutorService senders = Executors.newFixedThreadPool(SESSIONS);
                List<Future<?>> sent = new ArrayList<>();
                for (int s = 0; s < SESSIONS; s++) {
                    int session = s;
                    sent.add(senders.submit(() -> {
                        SimulatedAgent agent = agents.get(session);
                        agent.send(new Frame.Resize(100, 30));
                        for (int line = 1; line <= LINES; line++) {
                            agent.send(new Frame.Output(("S" + session + "-L" + line + "E\r\n").getBytes(StandardCharsets.UTF_8)));
                        }
                        viewers.get(2 * session).type("alice-keys-" + session + ";");
                        viewers.get(2 * session + 1).type("bob-keys-" + session + ";");
                        return null;
                    }));
                }
                for (Future<?> done : sent) {
                    done.get();
                }
                senders.shutdown();

                for (int s = 0; s < SESSIONS; s++) {
                    int session = s;
                    for (EngineerStream viewer : List.of(viewers.get(2 * s), viewers.get(2 * s + 1))) {
                        await().atMost(PATIENCE).untilAsserted(() -> assertThat(viewer.output()).contains("S" + session + "-L" + LINES + "E"));
                        assertOwnLinesInOrder(viewer.output(), session);
                    }
                    SimulatedAgent agent = agents.get(s);
                    await().atMost(PATIENCE).untilAsserted(() -> assertThat(agent.input())
                            .contains("alice-keys-" + session + ";", "bob-keys-" + session + ";"));
                    agent.send(new Frame.End("customer"));
                }

                Recordings recordings = fixture.relay().bean(Recordings.class);
                for (int s = 0; s < SESSIONS; s++) {
                    String id = ids.get(s);
                    int session = s;
                    await().atMost(PATIENCE).until(() -> recordings.hasRecording(id));
                    StringWriter cast = new StringWriter();
                    recordings.export(id, cast);
                    assertThat(cast.toString()).contains("S" + session + "-L1E", "S" + session + "-L" + LINES + "E");
                    assertOwnLinesInOrder(cast.toString(), session);
                }
            } finally {
                viewers.forEach(EngineerStream::close);
                agents.forEach(SimulatedAgent::close);
            }
        }
    }

    /** Only session {@code session}'s lines, each once and in order, with none missing in between. */
    private static void assertOwnLinesInOrder(String text, int session) {
        Matcher lines = Pattern.compile("S(\\d+)-L(\\d+)E").matcher(text);
        int expected = -1;
        while (lines.find()) {
            assertThat(Integer.parseInt(lines.group(1))).as("another session's line").isEqualTo(session);
            int line = Integer.parseInt(lines.group(2));
            if (expected > 0) {
                assertThat(line).as("lines in order, none lost").isEqualTo(expected);
            }
            expected = line + 1;
        }
        assertThat(expected).as("lines seen").isPositive();
    }
}
