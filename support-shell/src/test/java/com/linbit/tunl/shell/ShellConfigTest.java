package com.linbit.tunl.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.client.RelayAddress;
import com.linbit.tunl.shell.relay.ShellConfig;

import static org.assertj.core.api.Assertions.assertThat;

class ShellConfigTest {

    @TempDir
    Path home;

    @Test
    void unconfiguredUntilRelayAndCaAreKnown() throws Exception {
        assertThat(ShellConfig.load(Map.of("HOME", home.toString()))).isEmpty();
        assertThat(ShellConfig.load(Map.of("HOME", home.toString(), "TUNL_RELAY", "relay:2222"))).isEmpty();
    }

    @Test
    void savedPrivatelyAndLoadedBackWithEnvironmentOverrides() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_ecdsa"), "key");
        Map<String, String> env = Map.of("HOME", home.toString(), "USER", "alice");
        new ShellConfig(new RelayAddress("relay.example", 2222), "alice", null, home.resolve("ca.pub")).save(env);

        Path file = home.resolve(".config/tunl/config");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        ShellConfig loaded = ShellConfig.load(env).orElseThrow();
        assertThat(loaded.relay()).isEqualTo(new RelayAddress("relay.example", 2222));
        assertThat(loaded.user()).isEqualTo("alice");
        assertThat(loaded.identity()).isEqualTo(home.resolve(".ssh/id_ecdsa"));
        assertThat(loaded.caFile()).isEqualTo(home.resolve("ca.pub"));

        ShellConfig overridden = ShellConfig.load(Map.of("HOME", home.toString(), "TUNL_USER", "bob",
                "TUNL_RELAY", "other:443", "XDG_CONFIG_HOME", home.resolve(".config").toString())).orElseThrow();
        assertThat(overridden.user()).isEqualTo("bob");
        assertThat(overridden.relay().host()).isEqualTo("other");
    }
}
