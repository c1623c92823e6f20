package com.linbit.tunl.shell;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsoleFlagsTest {

    @Test
    void flagsBeforeTheCommandOverrideAndTheCommandKeepsItsOwnOptions() {
        ConsoleFlags flags = ConsoleFlags.parse("--relay", "relay.example.com:443", "--user=bob", "setup", "--relay", "x:1");
        assertThat(flags.overrides()).isEqualTo(Map.of("TUNL_RELAY", "relay.example.com:443", "TUNL_USER", "bob"));
        assertThat(flags.rest()).containsExactly("setup", "--relay", "x:1");
    }

    @Test
    void noFlagsLeavesEverythingToTheCommandAndAMissingValueIsAnError() {
        assertThat(ConsoleFlags.parse("--version").rest()).containsExactly("--version");
        assertThat(ConsoleFlags.parse().rest()).isEmpty();
        assertThatThrownBy(() -> ConsoleFlags.parse("--identity")).hasMessage("option --identity needs a value");
    }
}
