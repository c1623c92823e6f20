package com.linbit.tunl.agent;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A second agent process for {@link AuthorizedKeysTest}: installs and removes its session's line in
 * {@code <home>/.ssh/authorized_keys} {@code rounds} times, then installs it once more and exits.
 */
public final class KeysEditor {

    private KeysEditor() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        String session = args[1];
        int rounds = Integer.parseInt(args[2]);
        String key = AuthorizedKeysTest.ed25519(1);
        Instant expires = Instant.parse("2030-01-02T03:04:05Z");
        AuthorizedKeys keys = new AuthorizedKeys(new OwnFolders(TestAccounts.runningUser(home)));
        for (int round = 0; round < rounds; round++) {
            keys.install(session, "alice", List.of(key), expires, KeyExpiry.UTC);
            keys.remove(session);
        }
        keys.install(session, "alice", List.of(key), expires, KeyExpiry.UTC);
    }
}
