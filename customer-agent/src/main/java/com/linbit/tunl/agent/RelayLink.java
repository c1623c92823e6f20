package com.linbit.tunl.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.security.KeyPair;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.common.util.net.SshdSocketAddress;

import com.linbit.tunl.client.HttpProxy;
import com.linbit.tunl.client.RelayAddress;
import com.linbit.tunl.client.RelaySsh;
import com.linbit.tunl.client.RelayTrust;
import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameReader;
import com.linbit.tunl.protocol.FrameWriter;
import com.linbit.tunl.protocol.ProtocolException;

/** One SSH connection to the relay carrying the agent protocol on a {@code tunl-agent} channel. */
final class RelayLink implements RelayConnection.Link {

    /** The port of the virtual endpoint; engineers reach {@code <session-id>:22} through the relay. */
    static final int TUNNEL_PORT = 22;

    private final RelaySsh ssh;
    private final ChannelExec channel;
    private final OutputStream toRelay;
    private final FrameReader fromRelay;

    private RelayLink(RelaySsh ssh, ChannelExec channel) {
        this.ssh = ssh;
        this.channel = channel;
        this.toRelay = channel.getInvertedIn();
        this.fromRelay = new FrameReader(channel.getInvertedOut());
    }

    /**
     * Connects (through {@code proxy} when not null), verifies the relay through {@code trust}, logs
     * in as the session with its key.
     *
     * @throws RelaySsh.RelayUnverifiedException the relay's identity did not check out
     * @throws IOException                       the relay could not be reached or refused the login
     */
    static RelayLink open(String host, int port, String sessionId, KeyPair key, RelayTrust trust, HttpProxy proxy)
            throws IOException {
        RelaySsh ssh = RelaySsh.connect(new RelayAddress(host, port), sessionId, java.util.List.of(key), null, trust, proxy);
        try {
            ChannelExec channel = ssh.session().createExecChannel("tunl-agent");
            channel.open().verify(RelaySsh.TIMEOUT);
            return new RelayLink(ssh, channel);
        } catch (IOException | RuntimeException e) {
            ssh.close();
            throw e;
        }
    }

    @Override
    public synchronized void send(Frame frame) throws IOException {
        FrameWriter.write(toRelay, frame);
    }

    @Override
    public Frame read() throws IOException, ProtocolException {
        return fromRelay.read();
    }

    /** Registers the reverse forward the relay keeps as the virtual endpoint {@code name}:22, leading to local {@code port}. */
    @Override
    public void forward(String name, int port) throws IOException {
        ssh.session().startRemotePortForwarding(new SshdSocketAddress(name, TUNNEL_PORT),
                new SshdSocketAddress("127.0.0.1", port));
    }

    @Override
    public void stopForward(String name) throws IOException {
        ssh.session().stopRemotePortForwarding(new SshdSocketAddress(name, TUNNEL_PORT));
    }

    @Override
    public void close() {
        channel.close(false);
        ssh.close();
    }
}
