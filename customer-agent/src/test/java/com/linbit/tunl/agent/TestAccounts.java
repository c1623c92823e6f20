package com.linbit.tunl.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The user running the tests as a {@link LocalAccount} whose home is a folder of the test's. */
final class TestAccounts {

    private TestAccounts() {
    }

    static LocalAccount runningUser(Path home) {
        try {
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return new LocalAccount(uid, System.getProperty("user.name"), home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
