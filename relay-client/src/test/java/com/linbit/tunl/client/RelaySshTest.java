package com.linbit.tunl.client;

import org.apache.sshd.common.NamedResource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelaySshTest {

    @Test
    void prefersAesGcmAndKeepsMinasOtherCiphersAsFallback() {
        assertThat(NamedResource.getNameList(RelaySsh.CIPHERS))
                .startsWith("aes128-gcm@openssh.com", "aes256-gcm@openssh.com")
                .contains("aes128-ctr", "chacha20-poly1305@openssh.com")
                .doesNotHaveDuplicates();
    }
}
