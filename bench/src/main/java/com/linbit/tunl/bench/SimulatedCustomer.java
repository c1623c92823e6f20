package com.linbit.tunl.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;

import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameWriter;
import com.linbit.tunl.protocol.Limits;

/**
 * A customer's agent at the protocol level: the {@code tunl-agent} channel, HELLO, and a shell that
 * echoes what engineers type at once, as a shell at its prompt does. Replies are written off MINA's
 * I/O thread: a write may wait for the relay's window.
 */
final class SimulatedCustomer implements AutoCloseable {

    private static final ExecutorService REPLIES = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "simulated-customer-replies");
        thread.setDaemon(true);
        return thread;
    });

    private final ClientSession ssh;
    private final ChannelExec channel;
    private final OutputStream toRelay;
    private final CompletableFuture<Frame.Welcome> welcome = new CompletableFuture<>();

    private SimulatedCustomer(ClientSession ssh) throws IOException {
        this.ssh = ssh;
        this.channel = ssh.createExecChannel("tunl-agent");
        channel.setOut(new FrameSink(this::handle));
        channel.setErr(OutputStream.nullOutputStream());
        channel.open().verify(BenchSsh.TIMEOUT);
        this.toRelay = channel.getInvertedIn();
    }

    static SimulatedCustomer connect(BenchSsh bench, String sessionId) throws Exception {
        SimulatedCustomer customer = new SimulatedCustomer(bench.login(sessionId));
        try {
            customer.send(new Frame.Hello(Limits.VERSION, "share", "bench", "bench", UUID.randomUUID().toString(), 1));
            customer.welcome.get(BenchSsh.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return customer;
        } catch (Exception e) {
            customer.close();
            throw e;
        }
    }

    private void handle(Frame frame) {
        if (frame instanceof Frame.Welcome welcomed) {
            welcome.complete(welcomed);
        } else if (frame instanceof Frame.Input keys) {
            REPLIES.execute(() -> sendQuietly(new Frame.Output(keys.data())));
        } else if (frame instanceof Frame.SnapshotRequest) {
            REPLIES.execute(() -> sendQuietly(new Frame.Snapshot(80, 24, new byte[0])));
        } else if (frame instanceof Frame.Error error) {
            welcome.completeExceptionally(new IOException("the relay refused the customer: " + error.message()));
        }
    }

    /** What the customer's shell printed; blocks while the relay's window is closed. */
    synchronized void send(Frame frame) throws IOException {
        FrameWriter.write(toRelay, frame);
    }

    private void sendQuietly(Frame frame) {
        try {
            send(frame);
        } catch (IOException closed) {
            // the connection went away; the run counts that where it matters
        }
    }

    @Override
    public void close() {
        channel.close(true);
        ssh.close(true);
    }
}
