package com.linbit.tunl.relay.ssh;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameWriter;
import com.linbit.tunl.protocol.Limits;
import com.linbit.tunl.relay.support.RelayFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With structured logging on, each log line is JSON and names the session and engineer it is about. */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogIT {

    @TempDir
    Path temp;

    /** Spring Boot hands logging settings to Logback as system properties; later tests in this JVM must not log JSON. */
    @AfterEach
    void plainLogsAgain() {
        System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
    }

    @Test
    void jsonLinesCarryTheSessionAndTheEngineer(CapturedOutput output) throws Exception {
        try (RelayFixture fixture = RelayFixture.start(temp, "logging.structured.format.console=ecs")) {
            String id = fixture.ssh().ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "create-session")
                    .lines().get(0);
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            FrameWriter.write(frames, new Frame.Hello(Limits.VERSION, "share", "logged-host", "test", "run-1", 1));
            FrameWriter.write(frames, new Frame.End("customer"));
            Path script = Files.write(temp.resolve("frames"), frames.toByteArray());
            Path key = fixture.ssh().generateKey("customer", "ed25519", 0);
            fixture.ssh().run(fixture.ssh().sshCommand(key, fixture.relay().sshPort(), id, "--", "tunl-agent"), script, 30);
            fixture.ssh().ssh(fixture.aliceKey(), fixture.relay().sshPort(), "alice", "--", "join", id);

            JsonMapper json = JsonMapper.builder().build();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode agentLine = output.getOut().lines().filter(line -> line.startsWith("{"))
                        .map(json::readTree).filter(line -> line.path("message").asString("").startsWith("Customer agent connected"))
                        .findFirst().orElseThrow(() -> new AssertionError("no JSON line about the agent in\n" + output.getOut()));
                assertThat(agentLine.path("tunl").path("session").asString()).isEqualTo(id);
                JsonNode refusal = output.getOut().lines().filter(line -> line.startsWith("{")).map(json::readTree)
                        .filter(line -> line.path("message").asString("").startsWith("join refused"))
                        .findFirst().orElseThrow(() -> new AssertionError("no JSON line about alice's join"));
                assertThat(refusal.path("tunl").path("engineer").asString()).isEqualTo("alice");
                assertThat(refusal.path("tunl").path("session").asString()).isEqualTo(id);
            });
        }
    }
}
