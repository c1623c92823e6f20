package com.linbit.tunl.relay.ssh;

import org.apache.sshd.common.NamedResource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayCiphersTest {

    @Test
    void offersAesOnlySoStockOpenSshDoesNotPickThePureJavaChacha20() {
        assertThat(NamedResource.getNameList(RelayCiphers.offered()))
                .startsWith("aes128-gcm@openssh.com", "aes256-gcm@openssh.com")
                .contains("aes128-ctr", "aes256-ctr")
                .doesNotContain("chacha20-poly1305@openssh.com");
    }
}
