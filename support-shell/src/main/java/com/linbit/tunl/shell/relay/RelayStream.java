package com.linbit.tunl.shell.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;

import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.channel.PtyCapableChannelSession;
import org.apache.sshd.client.channel.ClientChannelEvent;

/**
 * A relay command that keeps running (a join, a chat event stream), or a connection through a
 * session's tunnel. Its output is read on the
 * caller's own thread, so a slow reader holds back only this channel, through the SSH window,
 * never MINA's I/O threads.
 */
public final class RelayStream implements AutoCloseable {

    private final ClientChannel channel;

    RelayStream(ClientChannel channel) {
        this.channel = channel;
    }

    public InputStream output() {
        return channel.getInvertedOut();
    }

    public InputStream errors() {
        return channel.getInvertedErr();
    }

    public OutputStream input() {
        return channel.getInvertedIn();
    }

    /** Tells the relay the terminal's new size (pty channels only). */
    public void resize(int columns, int rows) {
        if (!(channel instanceof PtyCapableChannelSession pty)) {
            return;
        }
        try {
            pty.sendWindowChange(columns, rows);
        } catch (IOException e) {
            // the channel is closing; its reader sees the end
        }
    }

    /** Waits for the command to end; returns its exit status and what it wrote to stderr. */
    public Ending awaitEnd(Duration patience) {
        channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS), patience);
        Integer status = channel.getExitStatus();
        String errors;
        try {
            errors = new String(channel.getInvertedErr().readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            errors = "";
        }
        return new Ending(status == null ? -1 : status, errors.startsWith("fatal: ") ? errors.substring(7) : errors);
    }

    @Override
    public void close() {
        channel.close(false);
    }

    /** How a relay command ended: its exit status (-1: unknown) and its message, if any. */
    public record Ending(int exitStatus, String message) {
    }
}
