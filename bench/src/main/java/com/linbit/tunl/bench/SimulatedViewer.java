package com.linbit.tunl.bench;

import java.io.IOException;
import java.io.OutputStream;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;

/** An engineer's {@code join} on a connection of its own, with a pty, as {@code ssh -t} asks. */
final class SimulatedViewer implements AutoCloseable {

    private final ClientSession ssh;
    private final ChannelExec channel;
    private final Screen screen = new Screen();
    private final OutputStream keyboard;

    SimulatedViewer(BenchSsh bench, String engineer, String sessionId) throws IOException {
        this.ssh = bench.login(engineer);
        try {
            this.channel = ssh.createExecChannel("join " + sessionId);
            channel.setUsePty(true);
            channel.setOut(screen);
            channel.setErr(OutputStream.nullOutputStream());
            channel.open().verify(BenchSsh.TIMEOUT);
            this.keyboard = channel.getInvertedIn();
        } catch (IOException | RuntimeException e) {
            ssh.close(true);
            throw e;
        }
    }

    Screen screen() {
        return screen;
    }

    long typeAndTime(byte key, long timeoutMillis) throws IOException, InterruptedException {
        return screen.typeAndTime(keyboard, key, timeoutMillis);
    }

    @Override
    public void close() {
        channel.close(true);
        ssh.close(true);
    }
}
