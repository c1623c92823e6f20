package com.linbit.tunl.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.Factory;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.IoServiceFactoryFactory;
import org.apache.sshd.common.io.nio2.Nio2Acceptor;
import org.apache.sshd.common.io.nio2.Nio2Connector;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactory;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.common.util.threads.ThreadUtils;

/**
 * MINA's NIO2 transport on a fixed-size channel group, whose threads poll and run the completion
 * handlers themselves. MINA's own factory hands the JDK an executor, which makes a "cached" group:
 * one internal thread polls and passes every read and write completion to a pool thread, a thread
 * hand-off per 32 KiB that left the tunnel waiting on wake-ups with the CPUs half idle.
 */
public final class InlineNio2ServiceFactory extends Nio2ServiceFactory {

    private final AsynchronousChannelGroup group;
    private final CloseableExecutorService resuming;

    private InlineNio2ServiceFactory(FactoryManager manager) {
        super(manager, null, null);
        int threads = getNioWorkers(manager);
        String name = manager + "-nio2";
        try {
            AtomicInteger counter = new AtomicInteger();
            group = AsynchronousChannelGroup.withFixedThreadPool(threads, runnable -> {
                Thread thread = new Thread(runnable, name + "-thread-" + counter.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        resuming = ThreadUtils.newFixedThreadPool(name + "-resume", threads);
    }

    /** For {@code setIoServiceFactoryFactory} of an SshServer or SshClient. */
    public static IoServiceFactoryFactory factory() {
        return new IoServiceFactoryFactory() {
            @Override
            public IoServiceFactory create(FactoryManager manager) {
                return new InlineNio2ServiceFactory(manager);
            }

            @Override
            public void setExecutorServiceFactory(Factory<CloseableExecutorService> factory) {
                // the pools are this factory's own
            }
        };
    }

    @Override
    public IoConnector createConnector(IoHandler handler) {
        return autowireCreatedService(new Nio2Connector(this, getFactoryManager(), handler, group, resuming));
    }

    @Override
    public IoAcceptor createAcceptor(IoHandler handler) {
        return autowireCreatedService(new Nio2Acceptor(this, getFactoryManager(), handler, group, resuming));
    }

    @Override
    protected void doCloseImmediately() {
        try {
            resuming.shutdownNow();
            group.shutdownNow();
            group.awaitTermination(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.debug("closing the channel group: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            super.doCloseImmediately();
        }
    }
}
