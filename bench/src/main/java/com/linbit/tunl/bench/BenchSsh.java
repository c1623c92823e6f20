package com.linbit.tunl.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

import com.linbit.tunl.client.RelayTrust;

/**
 * One MINA client for every simulated customer and viewer of a run: thousands of connections
 * share its I/O threads, as they could not with a client (and its thread pool) each.
 */
final class BenchSsh implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final SshClient client;
    private final int relayPort;
    private final KeyPair key;

    private BenchSsh(SshClient client, int relayPort, KeyPair key) {
        this.client = client;
        this.relayPort = relayPort;
        this.key = key;
    }

    static BenchSsh start(int relayPort, Path caFile) throws IOException, GeneralSecurityException {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(RelayTrust.load(List.of(caFile)));
        // Nothing from the user's ~/.ssh: only the keys and trust this run made.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.start();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return new BenchSsh(client, relayPort, generator.generateKeyPair());
    }

    /** The key engineers' and customers' simulated connections log in with, as an authorized_keys line. */
    String publicKeyLine() {
        return PublicKeyEntry.toString(key.getPublic()) + " tunl-bench";
    }

    /** A logged-in connection as {@code user}: an engineer's name, or a session ID for a customer. */
    ClientSession login(String user) throws IOException {
        ClientSession session = client.connect(user, "127.0.0.1", relayPort).verify(TIMEOUT).getSession();
        try {
            session.addPublicKeyIdentity(key);
            session.auth().verify(TIMEOUT);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    /** Runs an engineer's command (e.g. {@code create-session}) and returns what it printed. */
    static String exec(ClientSession engineer, String command) throws IOException {
        return engineer.executeRemoteCommand(command, System.err, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        client.stop();
    }
}
