package com.linbit.tunl.relay.recording;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.relay.support.TestRelay;
import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.OpenSshClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay's own recording of a real session: a file the Debian asciinema CLI plays, holding what
 * the customer's copy holds, never what was typed with echo off, with its hash in PostgreSQL.
 */
class RecordingIT {

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
    void aRealSessionIsRecordedPlayableCompleteWithoutEchoOffInputAndHashed() throws Exception {
        String id = ssh.ssh(aliceKey, relay.sshPort(), "alice", "--", "create-session", "--case", "4711").lines().get(0);
        Path home = temp.resolve("customer-" + id);
        try (CustomerAgent customer = CustomerAgent.start(home, relay.sshPort(), caFile, id)) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));
            customer.typeInShell("echo visible-$((6*7))");
            customer.typeInShell("read -s SECRET");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("read -s SECRET"));
            customer.typeInShell("hunter2-secret");
            customer.typeInShell("echo after-read-$((1+1))");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("after-read-2"));
            customer.press("C-b", "Q");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal()).contains("AGENT-EXIT=0"));
        }

        String month = DateTimeFormatter.ofPattern("yyyy/MM").withZone(ZoneOffset.UTC).format(
                relay.jdbc().sql("select created_at from support_session where id = ?").param(id)
                        .query(java.sql.Timestamp.class).single().toInstant());
        Path recording = relay.dataDir().resolve("recordings").resolve(month).resolve(id).resolve(id + "-part1.cast");
        await().atMost(PATIENCE).until(() -> relay.jdbc().sql("select count(*) from recording_file where session_id = ?")
                .param(id).query(Long.class).single() == 1);
        List<String> lines = Files.readAllLines(recording, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("{\"version\": 2, \"width\": ").contains("\"title\": \"" + id + " case 4711\"");
        assertThat(lines).noneMatch(line -> line.contains("\"i\""));

        String played = asciinemaCat(recording);
        assertThat(played).contains("visible-42", "after-read-2").doesNotContain("hunter2-secret");
        assertThat(ownReaderOutput(recording)).as("the project's own strict reader reads every line")
                .contains("visible-42", "after-read-2").doesNotContain("hunter2-secret");
        Path customerCopy;
        try (Stream<Path> files = Files.list(home.resolve(".local/state/linbit-tunl/recordings"))) {
            customerCopy = files.filter(file -> file.getFileName().toString().startsWith(id)).findFirst().orElseThrow();
        }
        String customers = asciinemaCat(customerCopy);
        assertThat(customers).doesNotContain("hunter2-secret");
        assertThat(customers).as("the customer's copy starts with the screen at start; then the same output")
                .endsWith(played);

        assertAuditorsSeeTheSession(id);

        Recordings recordings = relay.bean(Recordings.class);
        assertThat(relay.jdbc().sql("select sha256 from recording_file where session_id = ?").param(id).query(String.class).single())
                .isEqualTo(Recordings.sha256(recording));
        assertThat(recordings.check(id)).allMatch(Recordings.PartCheck::intact);
        Files.writeString(recording, "[1.0, \"o\", \"forged\"]\n", StandardOpenOption.APPEND);
        assertThat(recordings.check(id)).singleElement().matches(check -> !check.intact(), "a changed file fails its check");
    }

    /** The auditor API on the session just recorded; reading the recording is itself audited. */
    private static void assertAuditorsSeeTheSession(String id) throws Exception {
        HttpResponse<String> created = relay.asAdmin("POST", "/api/admin/users", "application/json",
                "{\"username\":\"audrey\",\"password\":\"auditor-password-1\",\"role\":\"AUDITOR\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> list = relay.get("/api/audit/sessions?case=4711&engineer=alice&state=closed", "audrey", "auditor-password-1");
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(list.body()).contains("\"id\":\"" + id + "\"", "\"total\":1");
        assertThat(relay.get("/api/audit/sessions?case=none-such", "audrey", "auditor-password-1").body()).contains("\"total\":0");
        assertThat(relay.get("/api/audit/sessions?from=yesterday", "audrey", "auditor-password-1").statusCode()).isEqualTo(400);

        HttpResponse<String> detail = relay.get("/api/audit/sessions/" + id, "audrey", "auditor-password-1");
        assertThat(detail.body()).contains("\"customerHost\"", "\"participants\":[\"alice\"]", "\"intact\":true",
                "\"part\":1");
        assertThat(relay.get("/api/audit/sessions/" + id + "/events", "audrey", "auditor-password-1").body())
                .contains("\"type\":\"session-claimed\"", "\"type\":\"session-closed\"");
        assertThat(relay.get("/api/audit/sessions/" + id + "/chat", "audrey", "auditor-password-1").statusCode()).isEqualTo(200);
        assertThat(relay.get("/api/audit/sessions/quiet-lemon-sings-harbor", "audrey", "auditor-password-1").statusCode())
                .isEqualTo(404);

        HttpResponse<String> cast = relay.get("/api/audit/sessions/" + id + "/recording", "audrey", "auditor-password-1");
        assertThat(cast.statusCode()).as(cast.body()).isEqualTo(200);
        assertThat(cast.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/x-asciicast"));
        Path downloaded = temp.resolve(id + "-download.cast");
        Files.writeString(downloaded, cast.body());
        assertThat(asciinemaCat(downloaded)).contains("visible-42").doesNotContain("hunter2-secret");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(relay.audit("recording-viewed")).contains("|audrey|"));
    }

    private static String ownReaderOutput(Path recording) throws IOException {
        StringBuilder output = new StringBuilder();
        try (AsciicastReader cast = new AsciicastReader(Files.newBufferedReader(recording, StandardCharsets.UTF_8))) {
            assertThat(cast.header().title()).endsWith(" case 4711");
            for (AsciicastReader.Event event = cast.next(); event != null; event = cast.next()) {
                assertThat(event.code()).isIn("o", "r");
                if (event.code().equals("o")) {
                    output.append(event.data());
                }
            }
        }
        return output.toString();
    }

    private static String asciinemaCat(Path cast) throws IOException, InterruptedException {
        // asciinema wants a terminal even for cat; script(1) gives it one.
        Process cat = new ProcessBuilder("script", "-qec", "asciinema cat '" + cast + "'", "/dev/null")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).start();
        String out = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cat.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cat.exitValue()).as(out).isZero();
        return out;
    }
}
