package com.linbit.tunl.client;

import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.BaseBuilder;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * An authenticated SSH connection to the relay: the relay verified through a pinned CA, the user
 * logged in with one key, want-reply keepalives on (they keep idle timers and load balancers from
 * cutting a quiet connection, and notice a relay that vanished).
 */
public final class RelaySsh implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Every 20 s, and 4 unanswered in a row mean the relay is gone: noticed within 100 s. */
    private static final Duration KEEPALIVE = keepAliveInterval(System.getenv("TUNL_KEEPALIVE"));
    private static final int KEEPALIVES_UNANSWERED = 4;

    /**
     * AES-GCM first: the JDK runs it on AES-NI/CLMUL intrinsics, several times faster than MINA's
     * pure-Java chacha20-poly1305 (MINA's own first choice), which bounded tunnel throughput on
     * both ends. The client's order decides the cipher; MINA's defaults stay as the fallback.
     */
    static final List<NamedFactory<Cipher>> CIPHERS = cipherPreference();

    private final SshClient client;
    private final ClientSession session;

    private RelaySsh(SshClient client, ClientSession session) {
        this.client = client;
        this.session = session;
    }

    /**
     * The keepalive interval: 20 s, or {@code TUNL_KEEPALIVE} seconds (1 to 50) for networks that
     * cut quiet connections sooner, or to notice a lost relay sooner.
     */
    static Duration keepAliveInterval(String seconds) {
        if (seconds != null && seconds.matches("\\d{1,2}")) {
            int value = Integer.parseInt(seconds);
            if (value >= 1 && value <= 50) {
                return Duration.ofSeconds(value);
            }
        }
        return Duration.ofSeconds(20);
    }

    /**
     * @throws RelayUnverifiedException the relay did not prove its identity; nothing was sent
     * @throws IOException              the relay could not be reached, or refused the login
     */
    public static RelaySsh connect(RelayAddress relay, String user, KeyPair key, RelayTrust trust) throws IOException {
        return connect(relay, user, List.of(key), null, trust);
    }

    /**
     * As {@link #connect(RelayAddress, String, KeyPair, RelayTrust)}, trying {@code keys} and then
     * the keys held by {@code agent} (may be null).
     */
    public static RelaySsh connect(RelayAddress relay, String user, List<KeyPair> keys, UnixSocketSshAgent agent,
                                   RelayTrust trust) throws IOException {
        return connect(relay, user, keys, agent, trust, (HttpProxy) null);
    }

    /**
     * As {@link #connect(RelayAddress, String, List, UnixSocketSshAgent, RelayTrust)}, through
     * {@code proxy} with HTTP CONNECT when it is not null. The relay's host certificate is still
     * checked against the relay's name, not the proxy's.
     */
    public static RelaySsh connect(RelayAddress relay, String user, List<KeyPair> keys, UnixSocketSshAgent agent,
                                   RelayTrust trust, HttpProxy proxy) throws IOException {
        HttpConnectTunnel tunnel = proxy == null ? null : HttpConnectTunnel.open(proxy, relay, TIMEOUT);
        try {
            return connectVia(relay, user, keys, agent, trust, tunnel);
        } catch (IOException | RuntimeException e) {
            if (tunnel != null) {
                tunnel.close();
            }
            throw e;
        }
    }

    private static RelaySsh connectVia(RelayAddress relay, String user, List<KeyPair> keys, UnixSocketSshAgent agent,
                                       RelayTrust trust, HttpConnectTunnel tunnel) throws IOException {
        SshClient client = SshClient.setUpDefaultClient();
        if (tunnel != null) {
            client.setSessionFactory(new NamedRelaySessionFactory(client, relay));
        }
        if (agent != null) {
            client.setAgentFactory(agent.factory());
        }
        client.setServerKeyVerifier(trust);
        client.setCipherFactories(CIPHERS);
        client.setIoServiceFactoryFactory(InlineNio2ServiceFactory.factory());
        client.setForwardingFilter(LoopbackForwardingFilter.INSTANCE);
        // Keystrokes and their echo are small writes; Nagle would hold them for a delayed ACK.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, KEEPALIVE);
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, KEEPALIVES_UNANSWERED);
        client.start();
        ClientSession session = null;
        try {
            session = (tunnel == null ? client.connect(user, relay.host(), relay.port())
                    : client.connect(user, tunnel.localHost(), tunnel.localPort())).verify(TIMEOUT).getSession();
            if (tunnel != null) {
                session.addCloseFutureListener(closed -> tunnel.close());
            }
            keys.forEach(session::addPublicKeyIdentity);
            session.auth().verify(TIMEOUT);
            return new RelaySsh(client, session);
        } catch (IOException | RuntimeException e) {
            if (session != null) {
                session.close(true);
            }
            client.stop();
            if (trust.rejection() != null) {
                throw new RelayUnverifiedException(trust.rejection());
            }
            if (isCertificateFailure(e)) {
                throw new RelayUnverifiedException("the relay's host certificate failed the check (" + e.getMessage() + ")");
            }
            throw e;
        }
    }

    private static List<NamedFactory<Cipher>> cipherPreference() {
        List<BuiltinCiphers> order = Stream.concat(Stream.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm),
                BaseBuilder.DEFAULT_CIPHERS_PREFERENCE.stream()).distinct().toList();
        return List.copyOf(NamedFactory.setUpBuiltinFactories(false, order));
    }

    /**
     * Sessions that reach the relay through a loopback tunnel but check its host certificate
     * against the relay's own name (MINA checks the principals against the address connected to).
     */
    private static final class NamedRelaySessionFactory extends org.apache.sshd.client.session.SessionFactory {
        private final java.net.SocketAddress relay;

        NamedRelaySessionFactory(SshClient client, RelayAddress relay) {
            super(client);
            this.relay = java.net.InetSocketAddress.createUnresolved(relay.host(), relay.port());
        }

        @Override
        protected org.apache.sshd.client.session.ClientSessionImpl doCreateSession(org.apache.sshd.common.io.IoSession io)
                throws Exception {
            return new org.apache.sshd.client.session.ClientSessionImpl(getFactoryManager(), io) {
                @Override
                public java.net.SocketAddress getConnectAddress() {
                    return relay;
                }
            };
        }
    }

    public ClientSession session() {
        return session;
    }

    /** True when the relay refused the login (as opposed to being unreachable). */
    public static boolean isLoginRefused(Throwable failure) {
        return String.valueOf(failure.getMessage()).contains("No more authentication methods");
    }

    /** MINA checks a host certificate during key exchange; a forged or expired one fails there. */
    private static boolean isCertificateFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (cause instanceof InvalidKeyException || message.contains("certificate") || message.contains("signature")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        session.close(false);
        client.stop();
    }

    /** The relay could not prove it is the relay. */
    public static final class RelayUnverifiedException extends IOException {
        RelayUnverifiedException(String reason) {
            super(reason);
        }
    }
}
