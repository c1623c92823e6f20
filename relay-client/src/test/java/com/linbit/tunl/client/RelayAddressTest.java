package com.linbit.tunl.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayAddressTest {

    @Test
    void parsesHostAndOptionalPort() {
        assertThat(RelayAddress.parse("relay.example", 443)).isEqualTo(new RelayAddress("relay.example", 443));
        assertThat(RelayAddress.parse(" localhost:2222 ", 443)).isEqualTo(new RelayAddress("localhost", 2222));
        assertThat(RelayAddress.parse("localhost:2222", 443).toString()).isEqualTo("localhost:2222");
    }

    @Test
    void refusesWhatIsNotAnAddress() {
        assertThatThrownBy(() -> RelayAddress.parse("", 443)).hasMessageContaining("empty");
        assertThatThrownBy(() -> RelayAddress.parse("host:x", 443)).hasMessageContaining("HOST[:PORT]");
        assertThatThrownBy(() -> RelayAddress.parse("host:0", 443)).hasMessage("relay port must be 1-65535, got 0");
    }
}
