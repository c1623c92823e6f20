package com.linbit.tunl.relay.keys;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Set;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * An OpenSSH public key line that passed the relay's key policy: ed25519, ecdsa, or RSA with at
 * least 3072 bits.
 */
public record ParsedPublicKey(PublicKey key, String type, String fingerprint, String canonicalLine,
                              String comment) {

    static final int MIN_RSA_BITS = 3072;
    private static final int MAX_LINE_LENGTH = 16 * 1024;
    private static final Set<String> ACCEPTED_TYPES = Set.of(
            KeyPairTypes.ED25519, KeyPairTypes.ECDSA_256, KeyPairTypes.ECDSA_384, KeyPairTypes.ECDSA_521,
            KeyPairTypes.RSA);

    /**
     * Parses one {@code authorized_keys}-style line.
     *
     * @throws KeyRejectedException with a message that tells the admin what to fix
     */
    public static ParsedPublicKey parse(String line) {
        if (line == null || line.isBlank()) {
            throw new KeyRejectedException("no public key given: send one OpenSSH public key line,"
                    + " e.g. the content of ~/.ssh/id_ed25519.pub");
        }
        String trimmed = line.strip();
        if (trimmed.contains("PRIVATE KEY")) {
            throw new KeyRejectedException("that is a private key; send the public key (the .pub file)"
                    + " and keep the private key secret");
        }
        if (trimmed.length() > MAX_LINE_LENGTH || trimmed.lines().count() > 1) {
            throw new KeyRejectedException("send exactly one public key line");
        }
        PublicKey key;
        AuthorizedKeyEntry entry;
        try {
            entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(trimmed);
            if (entry == null) {
                throw new KeyRejectedException("not an OpenSSH public key line");
            }
            key = entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        } catch (KeyRejectedException e) {
            throw e;
        } catch (Exception e) {
            throw new KeyRejectedException("not a valid OpenSSH public key line (expected"
                    + " \"ssh-ed25519 AAAA... comment\")");
        }
        if (key == null) {
            throw new KeyRejectedException("not a valid OpenSSH public key line");
        }
        String type = KeyUtils.getKeyType(key);
        if (!ACCEPTED_TYPES.contains(type)) {
            throw new KeyRejectedException("key type " + type + " is not accepted; use ssh-ed25519"
                    + " (recommended), ecdsa-sha2-nistp256/384/521 or ssh-rsa with at least "
                    + MIN_RSA_BITS + " bits");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new KeyRejectedException("RSA key is too weak (" + rsa.getModulus().bitLength()
                    + " bits); use at least " + MIN_RSA_BITS + " bits, or better an ed25519 key");
        }
        if (key instanceof ECPublicKey && !type.startsWith("ecdsa-sha2-")) {
            throw new KeyRejectedException("unsupported elliptic-curve key type " + type);
        }
        String comment = entry.getComment();
        if (comment != null && comment.isBlank()) {
            comment = null;
        }
        if (comment != null && comment.length() > 255) {
            comment = comment.substring(0, 255);
        }
        return new ParsedPublicKey(key, type, fingerprint(key), PublicKeyEntry.toString(key), comment);
    }

    /** The OpenSSH {@code SHA256:...} fingerprint of a key. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    private static final class KeyPairTypes {
        static final String ED25519 = "ssh-ed25519";
        static final String ECDSA_256 = "ecdsa-sha2-nistp256";
        static final String ECDSA_384 = "ecdsa-sha2-nistp384";
        static final String ECDSA_521 = "ecdsa-sha2-nistp521";
        static final String RSA = "ssh-rsa";
    }
}
