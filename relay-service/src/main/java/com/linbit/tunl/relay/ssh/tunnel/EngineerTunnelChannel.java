package com.linbit.tunl.relay.ssh.tunnel;

import java.io.IOException;
import java.util.Collections;

import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.Closeable;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.AbstractChannel;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.AbstractServerChannel;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engineer's {@code direct-tcpip} channel. It never connects anywhere itself: it asks the
 * registry to join it to the agent's side, and confirms the open only once that side is open.
 */
final class EngineerTunnelChannel extends AbstractServerChannel implements TunnelEnd {

    private static final Logger log = LoggerFactory.getLogger(EngineerTunnelChannel.class);

    private final VirtualForwards forwards;
    private final TunnelSide side = new TunnelSide(this, TunnelSide.Direction.FROM_ENGINEER);

    EngineerTunnelChannel(VirtualForwards forwards) {
        super("", Collections.emptyList(), null);
        this.forwards = forwards;
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        String host = buffer.getString();
        int port = (int) buffer.getUInt();
        // The originator the client claims (OpenSSH -W sends 127.0.0.1:65535) is not trusted;
        // the relay uses the address of the engineer's connection instead.
        buffer.getString();
        buffer.getUInt();
        OpenFuture opened = new DefaultOpenFuture(this, futureLock);
        side.open();
        forwards.connect(this, (ServerSession) getSession(), host, port, opened);
        return opened;
    }

    /** Sends SSH_MSG_CHANNEL_OPEN_CONFIRMATION (via MINA's open listener). */
    void confirm(OpenFuture opened) {
        signalChannelOpenSuccess();
        opened.setOpened();
    }

    /**
     * Refuses the open with our own SSH_MSG_CHANNEL_OPEN_FAILURE, so the engineer's client prints
     * {@code message} (MINA would replace any message with "Generic error while opening channel").
     * The open future is deliberately left incomplete so MINA sends no second failure.
     */
    void refuse(int reasonCode, String message) {
        Session session = getSession();
        if (!isOpen() || !session.isOpen()) {
            close(true);
            return;
        }
        try {
            Buffer failure = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_OPEN_FAILURE, message.length() + 64);
            failure.putUInt(getRecipient());
            failure.putUInt(reasonCode);
            failure.putString(message);
            failure.putString("");
            session.writePacket(failure);
        } catch (IOException | RuntimeException e) {
            log.debug("{}: could not send open failure: {}", this, e.toString());
        }
        close(true);
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
