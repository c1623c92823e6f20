package com.linbit.tunl.relay.live;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.EngineerStream;
import com.linbit.tunl.testing.OpenSshClient;
import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.relay.support.TestRelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code chat <id> --events}, the chat for programs (the console's join window): tab-separated
 * events on stdout, chat lines on stdin, driven here through stock OpenSSH without a pty.
 */
class ChatEventsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path temp;
    static RelayFixture fixture;
    static TestRelay relay;
    static OpenSshClient ssh;
    static Path aliceKey;
    static Path caFile;

    @BeforeAll
    static void startRelay() throws Exception {
        fixture = RelayFixture.start(temp);
        relay = fixture.relay();
        ssh = fixture.ssh();
        aliceKey = fixture.aliceKey();
        caFile = fixture.caFile();
    }

    @AfterAll
    static void stopRelay() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void programsGetStatusChatAndTheEndAsLines() throws Exception {
        OpenSshClient.Result created = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "create-session", "--case", "4711");
        assertThat(created.exit()).as(created.stderr()).isZero();
        String id = created.lines().get(0);
        Process events = ssh.start(aliceKey, relay.sshPort(), "alice", "--", "chat", id, "--events");
        List<String> lines = collectLines(events);
        try {
            await().atMost(PATIENCE).until(() -> lines.contains(
                    "status\tcase=4711\tmode=\tviewers=0\tcustomer=waiting"));

            try (CustomerAgent customer = CustomerAgent.start(temp.resolve("customer"), relay.sshPort(), caFile, id);
                 EngineerStream watcher = EngineerStream.open(ssh, aliceKey, relay.sshPort(), "alice", "join", id)) {
                await().atMost(PATIENCE).until(() -> lines.contains(
                        "status\tcase=4711\tmode=share\tviewers=1\tcustomer=connected"));

                String marker = UUID.randomUUID().toString().substring(0, 8);
                OutputStream in = events.getOutputStream();
                in.write(("from the join window " + marker + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane())
                        .contains("alice: from the join window " + marker));
                assertThat(lines).anyMatch(line -> line.matches(
                        "chat\t\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\talice\tfrom the join window " + marker));

                customer.typeInChat("hello from the customer");
                await().atMost(PATIENCE).until(() -> lines.stream().anyMatch(line ->
                        line.startsWith("chat\t") && line.endsWith("\tcustomer\thello from the customer")));

                in.write(("x".repeat(2001) + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
                await().atMost(PATIENCE).until(() -> lines.stream().anyMatch(line ->
                        line.startsWith("notice\tchat line too long")));

                customer.press("C-b", "Q");
                await().atMost(PATIENCE).until(() -> lines.stream().anyMatch(line -> line.startsWith("ended\t")));
                await().atMost(PATIENCE).until(() -> !events.isAlive());
                assertThat(events.exitValue()).isZero();
            }
        } finally {
            events.destroy();
        }
    }

    private static List<String> collectLines(Process process) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        }, "chat-events-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }
}
