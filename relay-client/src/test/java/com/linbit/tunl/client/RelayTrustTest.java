package com.linbit.tunl.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import org.apache.sshd.certificate.OpenSshCertificateBuilder;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayTrustTest {

    @TempDir
    Path temp;

    @Test
    void trustsOnlyHostCertificatesFromAPinnedCa() throws Exception {
        KeyPair ca = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        KeyPair otherCa = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        KeyPair host = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        Path pinned = temp.resolve("ca.pub");
        Files.writeString(pinned, "# relay CAs\n@cert-authority [localhost]:2222 " + PublicKeyEntry.toString(ca.getPublic()) + " ca\n");

        RelayTrust trust = RelayTrust.load(List.of(pinned));

        assertThat(trust.isEmpty()).isFalse();
        assertThat(trust.verifyServerKey(null, null, certificate(host, ca))).isTrue();
        assertThat(trust.verifyServerKey(null, null, certificate(host, otherCa))).isFalse();
        assertThat(trust.rejection()).contains("not trust");
        assertThat(trust.verifyServerKey(null, null, host.getPublic())).isFalse();
        assertThat(trust.rejection()).contains("plain host key");
    }

    @Test
    void unreadableOrEmptyCaFilesAreErrors() throws Exception {
        assertThatThrownBy(() -> RelayTrust.load(List.of(temp.resolve("missing")))).hasMessageContaining("cannot read");
        Path empty = Files.writeString(temp.resolve("empty"), "\n");
        assertThatThrownBy(() -> RelayTrust.load(List.of(empty))).hasMessageContaining("holds no public key");
        Path junk = Files.writeString(temp.resolve("junk"), "not a key\n");
        assertThatThrownBy(() -> RelayTrust.load(List.of(junk))).hasMessageContaining("not a public key line");
    }

    private static OpenSshCertificate certificate(KeyPair host, KeyPair ca) throws Exception {
        return OpenSshCertificateBuilder.hostCertificate().publicKey(host.getPublic()).id("relay")
                .principals(List.of("localhost")).sign(ca, "ssh-ed25519");
    }
}
