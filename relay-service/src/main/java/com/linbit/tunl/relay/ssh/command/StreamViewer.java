package com.linbit.tunl.relay.ssh.command;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.linbit.tunl.relay.chat.ChatLine;
import com.linbit.tunl.relay.live.Viewer;

/**
 * A viewer on an SSH channel with a pty: its queued bytes are written to the channel by
 * {@link #pumpTo(OutputStream)} on a thread of its own, so only this viewer waits on its window.
 */
abstract class StreamViewer extends Viewer {

    private static final int MAX_WRITE = 256 * 1024;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private volatile String endMessage;

    StreamViewer(String engineer, boolean watchesTerminal, long maxQueuedBytes) {
        super(engineer, watchesTerminal, maxQueuedBytes);
    }

    /** Writes until the viewer is closed and drained, or the channel fails. */
    void pumpTo(OutputStream out) {
        try {
            byte[] chunk;
            while ((chunk = takeBlocking(MAX_WRITE)) != null) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            close();
        }
    }

    void text(String text) {
        offerText(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void notice(String text) {
        text("\r\n[tunl] " + text + "\r\n");
    }

    @Override
    public void ended(String message) {
        endMessage = message;
        text("\r\n[tunl] " + message + "\r\n");
        close();
    }

    /** The message the session ended with, or null while it runs. */
    String endMessage() {
        return endMessage;
    }

    static String format(ChatLine line) {
        return "[" + TIME.format(line.sentAt()) + "] " + line.author() + ": " + line.text();
    }
}
