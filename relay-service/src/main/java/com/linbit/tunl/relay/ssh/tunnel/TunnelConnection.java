package com.linbit.tunl.relay.ssh.tunnel;

import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.AbstractChannel;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engineer connection bridged through the virtual tunnel: the engineer's {@code direct-tcpip}
 * channel joined to a {@code forwarded-tcpip} channel the relay opened on the agent's connection.
 */
public final class TunnelConnection {

    private static final Logger log = LoggerFactory.getLogger(TunnelConnection.class);

    /** How long a closing channel may wait for the peer's SSH_MSG_CHANNEL_CLOSE before it is dropped. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final String engineer;
    private final SocketAddress originator;
    private final Instant opened;
    private final EngineerTunnelChannel engineerChannel;
    private final AgentTunnelChannel agentChannel;
    private final Pump toCustomer;
    private final Pump toEngineer;
    private final AtomicInteger channelsClosed = new AtomicInteger();
    private final AtomicBoolean cut = new AtomicBoolean();
    private volatile Runnable onClosed = () -> { };

    TunnelConnection(String name, String engineer, SocketAddress originator, Instant opened,
                     EngineerTunnelChannel engineerChannel, AgentTunnelChannel agentChannel) {
        this.name = name;
        this.engineer = engineer;
        this.originator = originator;
        this.opened = opened;
        this.engineerChannel = engineerChannel;
        this.agentChannel = agentChannel;
        this.toCustomer = new Pump(name + " engineer->customer", engineerChannel, agentChannel);
        this.toEngineer = new Pump(name + " customer->engineer", agentChannel, engineerChannel);
        engineerChannel.attach(this);
        agentChannel.attach(this);
    }

    /** The forward's name (the session ID). */
    public String name() {
        return name;
    }

    /** The engineer's SSH user name. */
    public String engineer() {
        return engineer;
    }

    /** The engineer's network address (of their connection to the relay). */
    public SocketAddress originator() {
        return originator;
    }

    public Instant opened() {
        return opened;
    }

    /** Bytes delivered from the engineer to the customer's side so far. */
    public long bytesToCustomer() {
        return toCustomer.delivered();
    }

    /** Bytes delivered from the customer's side to the engineer so far. */
    public long bytesToEngineer() {
        return toEngineer.delivered();
    }

    public boolean isOpen() {
        return channelsClosed.get() < 2 && !cut.get();
    }

    /**
     * Cuts the connection at once: data in flight is dropped and both channels are closed (the
     * peers get SSH_MSG_CHANNEL_CLOSE; a peer that does not answer is dropped after 5 s).
     */
    public void close() {
        if (!cut.compareAndSet(false, true)) {
            return;
        }
        log.debug("cutting {}", this);
        toCustomer.abort();
        toEngineer.abort();
        cutChannel(engineerChannel, engineerChannel.output());
        cutChannel(agentChannel, agentChannel.output());
    }

    @Override
    public String toString() {
        return "tunnel " + VirtualForwards.printable(name) + " for " + VirtualForwards.printable(engineer)
                + " from " + originator;
    }

    // ---- wiring, used by the channels and the registry

    /** Both channels are open: start copying and watch for either side closing. */
    void start(Runnable whenClosed) {
        this.onClosed = whenClosed;
        engineerChannel.addCloseFutureListener(f -> channelClosed(true));
        agentChannel.addCloseFutureListener(f -> channelClosed(false));
        toCustomer.start();
        toEngineer.start();
    }

    void fromEngineer(byte[] data, int offset, long length) {
        toCustomer.offer(data, offset, (int) length);
    }

    void fromCustomer(byte[] data, int offset, long length) {
        toEngineer.offer(data, offset, (int) length);
    }

    void engineerEof() {
        toCustomer.sourceEof();
    }

    void customerEof() {
        toEngineer.sourceEof();
    }

    private void channelClosed(boolean engineerSide) {
        if (engineerSide) {
            toEngineer.abort();
            toCustomer.sourceClosed();
        } else {
            toCustomer.abort();
            toEngineer.sourceClosed();
        }
        if (channelsClosed.incrementAndGet() == 2) {
            onClosed.run();
        }
    }

    private static void cutChannel(AbstractChannel channel, ChannelAsyncOutputStream out) {
        if (out != null) {
            out.close(true);
        }
        closeGracefully(channel);
    }

    /**
     * Closes a channel the polite way (SSH_MSG_CHANNEL_CLOSE, then wait for the peer's), but does
     * not let a peer that never answers keep it registered forever.
     */
    static void closeGracefully(AbstractChannel channel) {
        if (channel.isClosed() || channel.isClosing()) {
            return;
        }
        channel.close(false);
        Session session = channel.getSession();
        FactoryManager manager = session == null ? null : session.getFactoryManager();
        ScheduledExecutorService scheduler = manager == null ? null : manager.getScheduledExecutorService();
        if (scheduler == null || scheduler.isShutdown()) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                if (!channel.isClosed()) {
                    log.debug("{}: peer did not answer SSH_MSG_CHANNEL_CLOSE, dropping the channel", channel);
                    channel.close(true);
                }
            }, CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            channel.close(true);
        }
    }
}
