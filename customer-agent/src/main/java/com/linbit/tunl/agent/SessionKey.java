package com.linbit.tunl.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * The per-session ed25519 key: made at the first run, kept (0600) so this machine, and only this
 * machine, can resume the session.
 */
final class SessionKey {

    private SessionKey() {
    }

    static KeyPair loadOrCreate(Path file, String sessionId) throws IOException, GeneralSecurityException {
        if (Files.exists(file)) {
            Iterator<KeyPair> keys = new FileKeyPairProvider(file).loadKeys(null).iterator();
            if (keys.hasNext()) {
                return keys.next();
            }
            throw new GeneralSecurityException("no key in " + file);
        }
        KeyPair key = KeyUtils.generateKeyPair(KeyPairType.ED25519, 256);
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(partial)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "linbit-tunl " + sessionId, null, out);
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        return key;
    }

    private static final class KeyPairType {
        static final String ED25519 = "ssh-ed25519";
    }
}
