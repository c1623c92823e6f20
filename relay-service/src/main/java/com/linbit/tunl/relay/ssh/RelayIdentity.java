package com.linbit.tunl.relay.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.sshd.certificate.OpenSshCertificateBuilder;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linbit.tunl.relay.RelayProperties;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The relay's SSH identity: its host key, the relay CA that vouches for it, and the OpenSSH host
 * certificate joining the two. Clients pin the CA, never the host key, so the host key and
 * certificate can be replaced without touching any client.
 */
@Component
public class RelayIdentity {

    private static final Logger log = LoggerFactory.getLogger(RelayIdentity.class);
    private static final String CA_COMMENT = "tunl-relay-ca";

    private final Clock clock;
    private final SshProperties ssh;
    private final Path hostKeyFile;
    private final Path certificateFile;
    private final KeyPair hostKey;
    private final KeyPair caKey;
    private final List<String> trustedCaLines;
    private final List<String> principals;
    private volatile OpenSshCertificate certificate;

    RelayIdentity(RelayProperties relay, SshProperties ssh, Clock clock) {
        this.clock = clock;
        this.ssh = ssh;
        Path dataDir = relay.dataDir();
        this.hostKeyFile = ssh.hostKey() != null ? ssh.hostKey() : dataDir.resolve("ssh_host_ed25519_key");
        Path caKeyFile = ssh.caKey() != null ? ssh.caKey() : dataDir.resolve("relay_ca_ed25519_key");
        this.certificateFile = ssh.hostCertificate() != null ? ssh.hostCertificate()
                : hostKeyFile.resolveSibling(hostKeyFile.getFileName() + "-cert.pub");
        this.principals = principalsFor(relay.publicHost());
        try {
            this.hostKey = KeyFiles.loadOrGenerateEd25519(hostKeyFile, "tunl-relay-host");
            this.caKey = KeyFiles.loadOrGenerateEd25519(caKeyFile, CA_COMMENT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the relay's SSH keys in " + dataDir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read or create the relay's SSH keys: " + e.getMessage(), e);
        }
        this.trustedCaLines = trustedCaLines(caKey.getPublic(), ssh.extraCaPublicKeys());
        this.certificate = loadUsableCertificate();
        if (certificate == null) {
            renew();
        }
    }

    public KeyPair hostKey() {
        return hostKey;
    }

    public OpenSshCertificate hostCertificate() {
        return certificate;
    }

    /** Every trusted CA public key, one OpenSSH line each: the relay's own CA first. */
    public List<String> trustedCaLines() {
        return trustedCaLines;
    }

    /**
     * The {@code @cert-authority} lines a client appends to its known_hosts to trust this relay
     * at {@code host} and {@code port}.
     */
    public List<String> knownHostsLines(String host, int port) {
        Set<String> hosts = new LinkedHashSet<>();
        hosts.add(host);
        if ("localhost".equals(host)) {
            hosts.add("127.0.0.1");
        }
        List<String> patterns = new ArrayList<>();
        for (String name : hosts) {
            patterns.add(port == 22 ? name : "[" + name + "]:" + port);
        }
        String hostPattern = String.join(",", patterns);
        return trustedCaLines.stream().map(ca -> "@cert-authority " + hostPattern + " " + ca).toList();
    }

    /** Issues a fresh certificate when the current one is close to expiry. */
    @Scheduled(fixedDelayString = "PT6H", initialDelayString = "PT6H")
    void renewIfDue() {
        if (!isUsable(certificate)) {
            renew();
        }
    }

    private synchronized void renew() {
        Instant now = clock.instant();
        try {
            OpenSshCertificate issued = OpenSshCertificateBuilder.hostCertificate()
                    .publicKey(hostKey.getPublic())
                    .serial(new SecureRandom().nextLong() & Long.MAX_VALUE)
                    .id("tunl-relay " + principals.get(0))
                    .principals(principals)
                    .validAfter(now.minusSeconds(300))
                    .validBefore(now.plus(ssh.certificateValidity()))
                    .sign(caKey, KeyFiles.KeyPairType.ED25519);
            KeyFiles.writeText(certificateFile, PublicKeyEntry.toString(issued) + " tunl-relay-host-cert\n", false);
            certificate = issued;
            log.info("Issued relay host certificate for {} valid until {}", principals,
                    now.plus(ssh.certificateValidity()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue the relay host certificate: " + e.getMessage(), e);
        }
    }

    private OpenSshCertificate loadUsableCertificate() {
        if (!Files.exists(certificateFile)) {
            return null;
        }
        try {
            String line = Files.readString(certificateFile, StandardCharsets.UTF_8).strip();
            PublicKey parsed = PublicKeyEntry.parsePublicKeyEntry(line)
                    .resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
            if (parsed instanceof OpenSshCertificate existing && isUsable(existing)) {
                return existing;
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            log.warn("Ignoring unreadable host certificate {}: {}", certificateFile, e.getMessage());
        }
        return null;
    }

    private boolean isUsable(OpenSshCertificate candidate) {
        if (candidate == null
                || candidate.getType() != OpenSshCertificate.Type.HOST
                || !KeyUtils.compareKeys(candidate.getCertPubKey(), hostKey.getPublic())
                || !KeyUtils.compareKeys(candidate.getCaPubKey(), caKey.getPublic())
                || !Set.copyOf(candidate.getPrincipals()).containsAll(principals)) {
            return false;
        }
        long renewAt = clock.instant().plus(ssh.certificateRenewBefore()).getEpochSecond();
        // validBefore is an unsigned 64-bit count of seconds; "forever" is all ones.
        return Long.compareUnsigned(candidate.getValidBefore(), renewAt) > 0;
    }

    private static List<String> principalsFor(String publicHost) {
        Set<String> names = new LinkedHashSet<>();
        names.add(publicHost);
        names.add("localhost");
        names.add("127.0.0.1");
        return List.copyOf(names);
    }

    private static List<String> trustedCaLines(PublicKey ownCa, List<String> extraLines) {
        List<String> lines = new ArrayList<>();
        lines.add(PublicKeyEntry.toString(ownCa) + " " + CA_COMMENT);
        for (String extra : extraLines) {
            String line = extra.strip();
            try {
                PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new IllegalStateException("tunl.ssh.extra-ca-public-keys holds a line that is not an"
                        + " OpenSSH public key: " + abbreviate(line), e);
            }
            lines.add(line);
        }
        return Collections.unmodifiableList(lines);
    }

    private static String abbreviate(String line) {
        return line.length() > 40 ? line.substring(0, 40) + "..." : line;
    }
}
