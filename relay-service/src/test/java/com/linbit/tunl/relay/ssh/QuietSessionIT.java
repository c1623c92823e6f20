package com.linbit.tunl.relay.ssh;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.testing.OpenSshClient;
import com.linbit.tunl.relay.support.TestRelay;

import static org.assertj.core.api.Assertions.assertThat;

/** A quiet connection is not an idle one: the relay's heartbeat keeps it past the idle timeout. */
class QuietSessionIT {

    @TempDir
    Path temp;

    @Test
    void aQuietConnectionOutlivesTheIdleTimeout() throws Exception {
        try (TestRelay relay = TestRelay.start(temp.resolve("relay"), "tunl.ssh.idle-timeout=2s",
                "tunl.ssh.heartbeat-interval=500ms")) {
            OpenSshClient ssh = new OpenSshClient(temp.resolve("home"), relay.get("/known_hosts").body());
            Path key = ssh.generateKey("alice", "ed25519", 0);
            assertThat(relay.asAdmin("POST", "/api/admin/engineers/alice/keys", "text/plain",
                    OpenSshClient.publicKeyOf(key)).statusCode()).isEqualTo(201);

            Process quiet = ssh.start(key, relay.sshPort(), "alice", "-N");
            try {
                assertThat(quiet.waitFor(6, TimeUnit.SECONDS)).as("still connected after 3 idle timeouts").isFalse();
            } finally {
                quiet.destroy();
                quiet.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
