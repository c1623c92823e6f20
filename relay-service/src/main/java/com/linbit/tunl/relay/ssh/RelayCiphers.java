package com.linbit.tunl.relay.ssh;

import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.BaseBuilder;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;

/**
 * The ciphers the relay offers: MINA's defaults without chacha20-poly1305. The client's order
 * decides, and stock OpenSSH puts chacha20 first; MINA's chacha20 is pure Java and cost the relay
 * several times the CPU of AES, whose JDK implementation runs on AES-NI. Without it OpenSSH picks
 * aes128-ctr (with hmac-sha2-256-etm), which every SSH client has; AES-GCM goes first for clients
 * that follow the server's order or prefer it, as tunl's own do.
 */
final class RelayCiphers {

    private RelayCiphers() {
    }

    static List<NamedFactory<Cipher>> offered() {
        List<BuiltinCiphers> order = new ArrayList<>(List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm));
        BaseBuilder.DEFAULT_CIPHERS_PREFERENCE.stream()
                .filter(cipher -> cipher != BuiltinCiphers.cc20p1305_openssh && !order.contains(cipher))
                .forEach(order::add);
        return List.copyOf(NamedFactory.setUpBuiltinFactories(false, order));
    }
}
