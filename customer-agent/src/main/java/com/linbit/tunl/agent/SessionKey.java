package com.linbit.tunl.agent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The per-session ed25519 key: made at the first run, kept (0600) so this machine, and only this
 * machine, can resume the session. Read and written without following a link.
 */
final class SessionKey {

    private SessionKey() {
    }

    static KeyPair loadOrCreate(Path file, String sessionId) throws IOException, GeneralSecurityException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] stored = OwnFolders.read(file);
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
                    new ByteArrayInputStream(stored), null);
            Iterator<KeyPair> keys = loaded == null ? null : loaded.iterator();
            if (keys != null && keys.hasNext()) {
                return keys.next();
            }
            throw new GeneralSecurityException("no key in " + file);
        }
        KeyPair key = KeyUtils.generateKeyPair(KeyPairType.ED25519, 256);
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(partial);
        try (FileChannel channel = OwnFolders.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(channel)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "linbit-tunl " + sessionId, null, out);
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        return key;
    }

    private static final class KeyPairType {
        static final String ED25519 = "ssh-ed25519";
    }
}
