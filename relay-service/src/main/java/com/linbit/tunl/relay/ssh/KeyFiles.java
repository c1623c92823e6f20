package com.linbit.tunl.relay.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.Set;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/** Reads and writes OpenSSH key files; private keys are only ever written with mode 0600. */
final class KeyFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {
    }

    static KeyPair loadOrGenerateEd25519(Path file, String comment) throws IOException, GeneralSecurityException {
        if (Files.exists(file)) {
            return load(file);
        }
        KeyPair generated = KeyUtils.generateKeyPair(KeyPairType.ED25519, 256);
        writePrivate(file, generated, comment);
        writeText(file.resolveSibling(file.getFileName() + ".pub"),
                PublicKeyEntry.toString(generated.getPublic()) + " " + comment + "\n", false);
        return generated;
    }

    static KeyPair load(Path file) throws IOException, GeneralSecurityException {
        Iterator<KeyPair> keys = new FileKeyPairProvider(file).loadKeys(null).iterator();
        if (!keys.hasNext()) {
            throw new GeneralSecurityException("no private key in " + file);
        }
        return keys.next();
    }

    static void writePrivate(Path file, KeyPair key, String comment) throws IOException, GeneralSecurityException {
        createParent(file);
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(partial);
        createOwnerOnly(partial);
        try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.TRUNCATE_EXISTING)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, comment, null, out);
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static void writeText(Path file, String text, boolean ownerOnly) throws IOException {
        createParent(file);
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(partial);
        if (ownerOnly) {
            createOwnerOnly(partial);
        }
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }

    static final class KeyPairType {
        static final String ED25519 = "ssh-ed25519";

        private KeyPairType() {
        }
    }
}
