package com.linbit.tunl.relay.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.linbit.tunl.testing.OpenSshClient;
import com.linbit.tunl.relay.support.TestRelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A relay started as on a fresh machine with no admin password, short claim timeout, a second CA. */
@ExtendWith(OutputCaptureExtension.class)
class FreshRelayIT {

    private static final String SECOND_CA = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP1N0m9mR7mfUFRKkhX23XI7BUaEf6wLE0rxK+FiAS1g old-ca";

    @TempDir
    Path temp;

    @Test
    void generatedAdminPasswordWorksAndUnclaimedSessionsExpire(CapturedOutput output) {
        try (TestRelay relay = TestRelay.start(temp.resolve("relay"), "tunl.admin.password=",
                "tunl.session.claim-timeout=2s", "tunl.session.expiry-check-interval=500ms",
                "tunl.ssh.extra-ca-public-keys=" + SECOND_CA)) {
            Matcher generated = Pattern.compile("Created the first admin user 'admin' with the generated password: (\\S+)")
                    .matcher(output.getOut());
            assertThat(generated.find()).as("the generated password is printed once").isTrue();
            String password = generated.group(1);
            assertThat(output.getOut().indexOf(password, generated.end())).as("printed only once").isEqualTo(-1);
            assertThat(relay.get("/api/admin/engineers", "admin", password).statusCode()).isEqualTo(200);

            String[] caLines = relay.get("/ca.pub").body().split("\n");
            assertThat(caLines).hasSize(2);
            assertThat(caLines[1]).isEqualTo(SECOND_CA);
            assertThat(relay.get("/known_hosts").body().split("\n")).hasSize(2)
                    .allMatch(line -> line.startsWith("@cert-authority [localhost]:" + relay.sshPort() + ","));

            OpenSshClient ssh = new OpenSshClient(temp.resolve("home"), relay.get("/known_hosts").body());
            Path key = ssh.generateKey("alice", "ed25519", 0);
            assertThat(relay.send("POST", "/api/admin/engineers/alice/keys", "admin", password, "text/plain",
                    OpenSshClient.publicKeyOf(key)).statusCode()).isEqualTo(201);
            String id = ssh.ssh(key, relay.sshPort(), "alice", "--", "create-session").lines().get(0);

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    relay.jdbc().sql("select state || '/' || coalesce(close_reason, '-') from support_session where id = ?")
                            .param(id).query(String.class).single()).isEqualTo("CLOSED/expired"));
            assertThat(relay.audit("session-expired")).anyMatch(row -> row.startsWith("expired|relay|"));
            assertThat(ssh.ssh(key, relay.sshPort(), "alice", "--", "sessions").stdout()).doesNotContain(id);

            String cased = ssh.ssh(key, relay.sshPort(), "alice", "--", "create-session", "--case", "77").lines().get(0);
            await().atMost(Duration.ofSeconds(15)).until(() -> relay.audit("session-expired").size() >= 2);
            OpenSshClient.Result history = ssh.ssh(key, relay.sshPort(), "alice", "--", "history", "--mine");
            assertThat(history.exit()).as(history.stderr()).isZero();
            assertThat(history.lines().get(0)).startsWith("ID").contains("CLOSED", "REASON");
            assertThat(history.stdout()).containsPattern(id + "\\s+-\\s+alice\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ\\s+expired");
            assertThat(ssh.ssh(key, relay.sshPort(), "alice", "--", "history", "--case", "77").stdout())
                    .contains(cased).doesNotContain(id);
            assertThat(ssh.ssh(key, relay.sshPort(), "alice", "--", "history", "--limit", "1").lines()).hasSize(2);
            OpenSshClient.Result badLimit = ssh.ssh(key, relay.sshPort(), "alice", "--", "history", "--limit", "0");
            assertThat(badLimit.exit()).isNotZero();
            assertThat(badLimit.stderr()).isEqualTo("fatal: history: --limit takes a number from 1 to 1000\n");
        }
    }
}
