package com.linbit.tunl.relay.ssh.tunnel;

import java.io.IOException;

import org.apache.sshd.client.channel.AbstractClientChannel;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.Closeable;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.AbstractChannel;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.channel.LocalWindow;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code forwarded-tcpip} channel the relay opens on the agent's connection, as if someone had
 * connected to the address the agent forwarded. There is no socket behind it: its data comes from
 * and goes to the engineer's channel.
 */
final class AgentTunnelChannel extends AbstractClientChannel implements TunnelEnd {

    static final String TYPE = "forwarded-tcpip";

    private static final Logger log = LoggerFactory.getLogger(AgentTunnelChannel.class);

    private final String connectedAddress;
    private final int connectedPort;
    private final String originatorAddress;
    private final int originatorPort;
    private final TunnelSide side = new TunnelSide(this, TunnelSide.Direction.FROM_CUSTOMER);

    AgentTunnelChannel(String connectedAddress, int connectedPort, String originatorAddress, int originatorPort) {
        super(TYPE);
        this.connectedAddress = connectedAddress;
        this.connectedPort = connectedPort;
        this.originatorAddress = originatorAddress;
        this.originatorPort = originatorPort;
    }

    /** SSH_MSG_CHANNEL_OPEN "forwarded-tcpip" (RFC 4254 7.2). */
    @Override
    public synchronized OpenFuture open() throws IOException {
        if (isClosing()) {
            throw new SshException("channel is closing: " + this);
        }
        openFuture = new DefaultOpenFuture(toString(), futureLock);
        Session session = getSession();
        LocalWindow window = getLocalWindow();
        Buffer request = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_OPEN,
                TYPE.length() + connectedAddress.length() + originatorAddress.length() + 64);
        request.putString(TYPE);
        request.putUInt(getChannelId());
        request.putUInt(window.getSize());
        request.putUInt(window.getPacketSize());
        request.putString(connectedAddress);
        request.putUInt(connectedPort);
        request.putString(originatorAddress);
        request.putUInt(originatorPort);
        writePacket(request);
        return openFuture;
    }

    @Override
    protected void doOpen() throws IOException {
        side.open();
    }

    @Override
    public void attach(TunnelConnection connection) {
        side.attach(connection);
    }

    @Override
    public AbstractChannel channel() {
        return this;
    }

    @Override
    public ChannelAsyncOutputStream output() {
        return side.output();
    }

    @Override
    public void sendEofToPeer() {
        try {
            sendEof();
        } catch (IOException | RuntimeException e) {
            log.debug("{}: EOF not sent: {}", this, e.toString());
        }
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        side.received(data, off, len);
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        side.receivedExtended(len);
    }

    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        side.eof();
    }

    @Override
    public void handleWindowAdjust(Buffer buffer) throws IOException {
        super.handleWindowAdjust(buffer);
        side.windowExpanded();
    }

    @Override
    protected Closeable getInnerCloseable() {
        return builder().close(side.output()).close(super.getInnerCloseable()).build();
    }
}
