package com.linbit.tunl.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * The relay CA keys a client trusts: the ones built into its jar ({@code /relay-ca.pub}) plus any
 * given in files. The relay must present a host certificate signed by one of them; MINA's key
 * exchange has already checked the certificate's signature, validity and host name by then.
 * There is no accept-all path.
 */
public final class RelayTrust implements ServerKeyVerifier {

    private final List<PublicKey> caKeys;
    private volatile String rejection;

    private RelayTrust(List<PublicKey> caKeys) {
        this.caKeys = caKeys;
    }

    public static RelayTrust load(List<Path> extraFiles) throws IOException {
        List<PublicKey> keys = new ArrayList<>();
        try (InputStream builtIn = RelayTrust.class.getResourceAsStream("/relay-ca.pub")) {
            if (builtIn != null) {
                keys.addAll(parse(new String(builtIn.readAllBytes(), StandardCharsets.UTF_8), "the built-in list"));
            }
        }
        for (Path file : extraFiles) {
            if (!Files.isReadable(file)) {
                throw new IOException("cannot read the relay CA file " + file);
            }
            List<PublicKey> fromFile = parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            if (fromFile.isEmpty()) {
                throw new IOException(file + " holds no public key (expected lines like the relay's /ca.pub)");
            }
            keys.addAll(fromFile);
        }
        return new RelayTrust(List.copyOf(keys));
    }

    public boolean isEmpty() {
        return caKeys.isEmpty();
    }

    /** Why the last relay was not trusted, for the customer; null if none was refused. */
    public String rejection() {
        return rejection;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey serverKey) {
        if (!(serverKey instanceof OpenSshCertificate certificate)) {
            rejection = "the relay showed a plain host key instead of a certificate from a relay CA";
            return false;
        }
        for (PublicKey ca : caKeys) {
            if (KeyUtils.compareKeys(ca, certificate.getCaPubKey())) {
                return true;
            }
        }
        rejection = "the relay's certificate is signed by a CA this client does not trust";
        return false;
    }

    private static List<PublicKey> parse(String text, String source) throws IOException {
        List<PublicKey> keys = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("@cert-authority")) {
                String[] parts = trimmed.split("\\s+", 3);
                trimmed = parts.length == 3 ? parts[2] : "";
            }
            try {
                keys.add(PublicKeyEntry.parsePublicKeyEntry(trimmed).resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING));
            } catch (Exception e) {
                throw new IOException("not a public key line in " + source + ": " + abbreviate(trimmed));
            }
        }
        return keys;
    }

    private static String abbreviate(String line) {
        return line.length() > 40 ? line.substring(0, 40) + "..." : line;
    }
}
