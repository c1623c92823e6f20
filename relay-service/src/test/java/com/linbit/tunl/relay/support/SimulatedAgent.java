package com.linbit.tunl.relay.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.UUID;

import org.apache.sshd.client.channel.ChannelExec;

import com.linbit.tunl.client.RelayAddress;
import com.linbit.tunl.client.RelaySsh;
import com.linbit.tunl.client.RelayTrust;
import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameReader;
import com.linbit.tunl.protocol.FrameWriter;
import com.linbit.tunl.protocol.Limits;
import com.linbit.tunl.protocol.ProtocolException;

/**
 * A customer agent at the protocol level, in the test's JVM: one SSH connection, the
 * {@code tunl-agent} channel, HELLO, and then whatever frames the test sends. Snapshot requests
 * are answered with an empty screen; keystrokes from engineers are collected.
 */
public final class SimulatedAgent implements AutoCloseable {

    private final RelaySsh ssh;
    private final ChannelExec channel;
    private final OutputStream toRelay;
    private final StringBuffer input = new StringBuffer();
    private final Frame.Welcome welcome;

    private SimulatedAgent(RelaySsh ssh, ChannelExec channel, Frame.Welcome welcome, FrameReader fromRelay) {
        this.ssh = ssh;
        this.channel = channel;
        this.toRelay = channel.getInvertedIn();
        this.welcome = welcome;
        Thread reader = new Thread(() -> read(fromRelay), "simulated-agent-" + welcome.sessionId());
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects as the customer of {@code sessionId} with a fresh key and claims it in share mode. */
    public static SimulatedAgent connect(int relayPort, Path caFile, String sessionId) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        RelaySsh ssh = RelaySsh.connect(new RelayAddress("127.0.0.1", relayPort), sessionId, key,
                RelayTrust.load(List.of(caFile)));
        ChannelExec channel = ssh.session().createExecChannel("tunl-agent");
        channel.open().verify(RelaySsh.TIMEOUT);
        FrameWriter.write(channel.getInvertedIn(),
                new Frame.Hello(Limits.VERSION, "share", "simulated", "test", UUID.randomUUID().toString(), 1));
        FrameReader fromRelay = new FrameReader(channel.getInvertedOut());
        Frame answer = fromRelay.read();
        if (!(answer instanceof Frame.Welcome welcome)) {
            ssh.close();
            throw new IOException("the relay answered HELLO with " + answer);
        }
        return new SimulatedAgent(ssh, channel, welcome, fromRelay);
    }

    public Frame.Welcome welcome() {
        return welcome;
    }

    public synchronized void send(Frame frame) throws IOException {
        FrameWriter.write(toRelay, frame);
    }

    /** Every keystroke engineers sent, in order. */
    public String input() {
        return input.toString();
    }

    private void read(FrameReader fromRelay) {
        try {
            Frame frame;
            while ((frame = fromRelay.read()) != null) {
                if (frame instanceof Frame.Input keys) {
                    input.append(new String(keys.data(), java.nio.charset.StandardCharsets.UTF_8));
                } else if (frame instanceof Frame.SnapshotRequest) {
                    send(new Frame.Snapshot(80, 24, new byte[0]));
                }
            }
        } catch (IOException | ProtocolException e) {
            // closed
        }
    }

    @Override
    public void close() {
        channel.close(true);
        ssh.close();
    }
}
