package com.linbit.tunl.relay.support;

import java.io.IOException;
import java.nio.file.Path;

import com.linbit.tunl.testing.OpenSshClient;

/**
 * What most end-to-end tests start from: a relay on a fresh database, stock ssh trusting it
 * through its CA line, engineer alice with a registered key, and the CA file agents pin.
 */
public record RelayFixture(TestRelay relay, OpenSshClient ssh, Path aliceKey, Path caFile) implements AutoCloseable {

    public static RelayFixture start(Path folder, String... relayProperties) throws IOException {
        TestRelay relay = TestRelay.start(folder.resolve("relay"), relayProperties);
        OpenSshClient ssh = new OpenSshClient(folder.resolve("engineers"), relay.get("/known_hosts").body());
        Path aliceKey = relay.registerEngineer(ssh, "alice");
        return new RelayFixture(relay, ssh, aliceKey, relay.saveCa(folder.resolve("relay-ca.pub")));
    }

    @Override
    public void close() {
        relay.close();
    }
}
