package com.linbit.tunl.relay.ssh;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.AbstractServerChannel;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;

/**
 * At most {@code max} channels open at once on one connection, of any type: one more is refused
 * with "resource shortage" and a message, audited {@code too-many-channels}, and the connection
 * and its other channels carry on. (MINA's own MAX_CONCURRENT_CHANNELS closes the whole connection
 * instead, and only once one more than the limit is open.)
 */
final class ChannelCapFactory implements ChannelFactory {

    private static final AttributeKey<AtomicInteger> OPEN_CHANNELS = new AttributeKey<>();

    private final ChannelFactory delegate;
    private final int max;
    private final AuditLog audit;

    private ChannelCapFactory(ChannelFactory delegate, int max, AuditLog audit) {
        this.delegate = delegate;
        this.max = max;
        this.audit = audit;
    }

    static List<ChannelFactory> wrap(List<? extends ChannelFactory> factories, int max, AuditLog audit) {
        return factories.stream().<ChannelFactory>map(factory -> new ChannelCapFactory(factory, max, audit)).toList();
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public Channel createChannel(Session session) throws IOException {
        AtomicInteger open = session.computeAttributeIfAbsent(OPEN_CHANNELS, key -> new AtomicInteger());
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            audit.recordLater(AuditEntry.of(AuditEventType.CONNECTION_REFUSED, SshSessions.printableUser(session.getUsername()))
                    .from(SshSessions.sourceAddress(session)).reason("too-many-channels")
                    .details(getName() + " channel; " + max + " already open on this connection"));
            return new RefusedChannel("too many channels open on this connection (at most " + max + ")");
        }
        Channel channel = delegate.createChannel(session);
        if (channel == null) {
            open.decrementAndGet();
            return null;
        }
        channel.addCloseFutureListener(closed -> open.decrementAndGet());
        return channel;
    }

    /** A channel whose opening fails with {@code message}. */
    private static final class RefusedChannel extends AbstractServerChannel {

        private final String message;

        RefusedChannel(String message) {
            super(null);
            this.message = message;
        }

        @Override
        public OpenFuture open(long recipient, long rwSize, long packetSize, Buffer buffer) {
            DefaultOpenFuture refused = new DefaultOpenFuture(this, new Object());
            refused.setException(new SshChannelOpenException(getChannelId(),
                    SshConstants.SSH_OPEN_RESOURCE_SHORTAGE, message));
            return refused;
        }

        @Override
        protected void doWriteData(byte[] data, int off, long len) throws IOException {
            throw new IOException(message);
        }

        @Override
        protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
            throw new IOException(message);
        }
    }
}
