package com.linbit.tunl.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyPair;
import java.time.Duration;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.core.CoreModuleProperties;

import com.linbit.tunl.client.RelayTrust;
import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameReader;
import com.linbit.tunl.protocol.FrameWriter;
import com.linbit.tunl.protocol.ProtocolException;

/** One SSH connection to the relay carrying the agent protocol on a {@code tunl-agent} channel. */
final class RelayLink implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final SshClient client;
    private final ClientSession session;
    private final ChannelExec channel;
    private final OutputStream toRelay;
    private final FrameReader fromRelay;

    private RelayLink(SshClient client, ClientSession session, ChannelExec channel) {
        this.client = client;
        this.session = session;
        this.channel = channel;
        this.toRelay = channel.getInvertedIn();
        InputStream in = channel.getInvertedOut();
        this.fromRelay = new FrameReader(in);
    }

    /**
     * Connects, verifies the relay through {@code trust}, logs in as the session with its key.
     *
     * @throws RelayUnverifiedException the relay's identity did not check out
     * @throws IOException              the relay could not be reached or refused the login
     */
    static RelayLink open(String host, int port, String sessionId, KeyPair key, RelayTrust trust) throws IOException {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(trust);
        // Want-reply keepalives: they keep idle timers and load balancers from cutting a quiet
        // session, and notice a relay that vanished.
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(30));
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 4);
        client.start();
        ClientSession session = null;
        try {
            session = client.connect(sessionId, host, port).verify(TIMEOUT).getSession();
            session.addPublicKeyIdentity(key);
            session.auth().verify(TIMEOUT);
            ChannelExec channel = session.createExecChannel("tunl-agent");
            channel.open().verify(TIMEOUT);
            return new RelayLink(client, session, channel);
        } catch (IOException | RuntimeException e) {
            if (session != null) {
                session.close(true);
            }
            client.stop();
            if (trust.rejection() != null) {
                throw new RelayUnverifiedException(trust.rejection());
            }
            if (isCertificateFailure(e)) {
                throw new RelayUnverifiedException("the relay's host certificate failed the check ("
                        + e.getMessage() + ")");
            }
            throw e;
        }
    }

    /** MINA checks a host certificate during key exchange; a forged or expired one fails there. */
    private static boolean isCertificateFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (cause instanceof java.security.InvalidKeyException || message.contains("certificate")
                    || message.contains("signature")) {
                return true;
            }
        }
        return false;
    }

    synchronized void send(Frame frame) throws IOException {
        FrameWriter.write(toRelay, frame);
    }

    Frame read() throws IOException, ProtocolException {
        return fromRelay.read();
    }

    @Override
    public void close() {
        channel.close(false);
        session.close(false);
        client.stop();
    }

    /** The relay could not prove it is the relay; nothing was sent to it. */
    static final class RelayUnverifiedException extends IOException {
        RelayUnverifiedException(String reason) {
            super(reason);
        }
    }
}
