package com.linbit.tunl.relay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.testing.OpenSshClient;
import com.linbit.tunl.testing.OpenSshClient.Result;
import com.linbit.tunl.relay.support.TestRelay;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay with its embedded defaults (its own PostgreSQL in the data folder), stopped and
 * started again on the same folder: identity, keys and sessions all survive.
 */
class RelayRestartIT {

    @TempDir
    Path temp;

    @Test
    void identityKeysAndSessionsSurviveARestart() throws Exception {
        Path dataDir = temp.resolve("data");
        String knownHosts;
        String sessionId;
        OpenSshClient ssh;
        Path key;
        int sshPort;
        try (TestRelay first = TestRelay.embedded(dataDir)) {
            sshPort = first.sshPort();
            knownHosts = first.get("/known_hosts").body();
            ssh = new OpenSshClient(temp.resolve("home"), knownHosts);
            key = ssh.generateKey("alice", "ed25519", 0);
            assertThat(first.asAdmin("POST", "/api/admin/engineers/alice/keys", "text/plain",
                    OpenSshClient.publicKeyOf(key)).statusCode()).isEqualTo(201);
            Result created = ssh.ssh(key, sshPort, "alice", "--", "create-session", "--case", "4711");
            assertThat(created.exit()).as(created.stderr()).isZero();
            sessionId = created.lines().get(0);
        }

        assertThat(Files.isDirectory(dataDir.resolve("postgres"))).isTrue();
        for (String secret : new String[] {"ssh_host_ed25519_key", "relay_ca_ed25519_key"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(secret))))
                    .as(secret).isEqualTo("rw-------");
        }

        // Same SSH port again, so the very same known_hosts line must still verify the relay.
        try (TestRelay second = TestRelay.embedded(dataDir, "tunl.ssh.port=" + sshPort)) {
            assertThat(second.get("/known_hosts").body()).isEqualTo(knownHosts);
            Result sessions = ssh.ssh(key, second.sshPort(), "alice", "--", "sessions");
            assertThat(sessions.exit()).as(sessions.stderr()).isZero();
            assertThat(sessions.stdout()).contains(sessionId);
            assertThat(second.asAdmin("GET", "/api/admin/engineers/alice/keys", null, null).body()).contains("SHA256:");
        }
    }
}
