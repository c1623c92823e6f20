package com.linbit.tunl.shell.join;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.linbit.tunl.shell.SelfCommand;
import com.linbit.tunl.client.Backoff;
import com.linbit.tunl.shell.relay.RelayConnection;
import com.linbit.tunl.shell.relay.RelayStream;
import com.linbit.tunl.shell.relay.SessionIds;

/**
 * {@code join <id>} on the engineer's machine: a local tmux whose window 0 mirrors the customer's
 * shared shell (the relay's {@code join}, keystrokes included) and whose window 1 is the chat (the
 * relay's {@code chat --events}, drawn by {@link ChatScreen}). This process holds the one relay
 * connection; the windows' own processes ({@link PaneClient}) only carry bytes. When that
 * connection is lost (a relay restart, a network blip) it connects again on its own and picks up
 * both windows where they were, for up to 15 minutes.
 */
public final class JoinSession implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** How long a closed shell view waits for the chat stream to say why before saying it itself. */
    private static final Duration END_GRACE = Duration.ofSeconds(2);
    private static final Duration REJOIN_WINDOW = Duration.ofMinutes(15);

    private volatile RelayConnection relay;
    private final Supplier<RelayConnection> reconnect;
    private RelayConnection replacement;
    private final String id;
    private final ChatScreen chat;
    private final CompletableFuture<Void> eventsReady = new CompletableFuture<>();
    private volatile RelayStream events;
    private volatile RelayStream mirror;
    private JoinFolder folder;
    private Pane shellPane;
    private Pane chatPane;
    private LocalTmux tmux;
    private volatile boolean closing;
    private boolean mirrorEnded;
    private volatile boolean sessionEnded;
    private volatile String endMessage;
    private final Thread onExit = new Thread(this::closeQuietly, "tunl-join-exit");

    private JoinSession(RelayConnection relay, Supplier<RelayConnection> reconnect, String id) {
        this.relay = relay;
        this.reconnect = reconnect;
        this.id = id;
        this.chat = new ChatScreen(id);
    }

    /**
     * Everything up to attaching: the relay streams, the local tmux and its two windows.
     * {@code reconnect} opens a new relay connection when this one is lost.
     */
    public static JoinSession start(RelayConnection relay, Supplier<RelayConnection> reconnect, String id) {
        SessionIds.require(id);
        LocalTmux.requireTmux();
        JoinSession join = new JoinSession(relay, reconnect, id);
        try {
            // A closed terminal (SIGHUP) still runs hooks: no tmux server or socket folder stays behind.
            Runtime.getRuntime().addShutdownHook(join.onExit);
            join.open();
            return join;
        } catch (IOException | TimeoutException e) {
            join.close();
            throw new JoinException("could not open the join windows: " + e.getMessage());
        } catch (RuntimeException e) {
            join.close();
            throw e;
        }
    }

    private void open() throws IOException, TimeoutException {
        events = relay.openStream(List.of("chat", id, "--events"), 0, 0);
        RelayStream firstEvents = events;
        daemon("tunl-join-events", () -> readEvents(firstEvents));
        awaitEvents();

        folder = JoinFolder.create();
        shellPane = new Pane("shell", folder.resolve("shell.sock"));
        chatPane = new Pane("chat", folder.resolve("chat.sock"));
        tmux = LocalTmux.start(folder.path(), id, paneCommand(shellPane.path()), paneCommand(chatPane.path()));
        shellPane.connect(PATIENCE, new ShellWindow());
        chatPane.connect(PATIENCE, new ChatWindow());
        synchronized (chat) {
            chat.resize(chatPane.columns(), chatPane.rows());
        }
        redrawChat();

        mirror = relay.openStream(List.of("join", id), shellPane.columns(), shellPane.rows());
        RelayStream firstMirror = mirror;
        daemon("tunl-join-mirror", () -> readMirror(firstMirror));
    }

    /** Attaches this terminal to the local tmux; returns when the engineer leaves or the join closed. */
    public int attach() throws IOException, InterruptedException {
        return tmux.attach();
    }

    /** What to tell the engineer afterwards. */
    public String summary() {
        return sessionEnded ? endMessage : "left " + id + "; the session goes on";
    }

    private void awaitEvents() throws TimeoutException, IOException {
        try {
            eventsReady.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (TimeoutException e) {
            throw new TimeoutException("the relay did not answer within " + PATIENCE.toSeconds() + " s");
        }
    }

    private void readEvents(RelayStream events) {
        boolean heard = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(events.output(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                heard = true;
                eventsReady.complete(null);
                ChatEvent event = ChatEvent.parse(line);
                if (event instanceof ChatEvent.Ended ended) {
                    endMessage = ended.message();
                    sessionEnded = true;
                    synchronized (chat) {
                        chat.apply(ended);
                    }
                    finish(ended.message(), false);
                } else if (event != null) {
                    synchronized (chat) {
                        chat.apply(event);
                    }
                    redrawChat();
                }
            }
        } catch (IOException e) {
            // the connection is gone; said below
        }
        if (!eventsReady.isDone()) {
            RelayStream.Ending ending = events.awaitEnd(PATIENCE);
            eventsReady.completeExceptionally(new JoinException(ending.message().isEmpty()
                    ? "the relay closed the connection" : ending.message()));
            return;
        }
        if (stillConnected()) {
            // Not the connection: the relay ended this stream, e.g. the session closed while away.
            RelayStream.Ending ending = events.awaitEnd(PATIENCE);
            finish(!heard && !ending.message().isEmpty() ? ending.message() : "the relay closed the chat stream", true);
            return;
        }
        if (closing || rejoin()) {
            return;
        }
        synchronized (chat) {
            chat.relayLost();
        }
        finish("the connection to the relay was lost", true);
    }

    /**
     * The relay connection was lost: connect again and reopen both streams, the windows staying as
     * they are. True when the join goes on, or when the relay said the session is over (said then).
     */
    private boolean rejoin() {
        shellPane.show("\r\n[tunl] the connection to the relay was lost; reconnecting...\r\n".getBytes(StandardCharsets.UTF_8));
        return Backoff.retry(REJOIN_WINDOW, () -> closing, attempt -> {
            synchronized (chat) {
                chat.reconnecting(attempt);
            }
            redrawChat();
            RelayConnection next;
            try {
                next = reconnect.get();
            } catch (RuntimeException e) {
                return false;
            }
            try {
                RelayStream newEvents = next.openStream(List.of("chat", id, "--events"), 0, 0);
                RelayStream newMirror = next.openStream(List.of("join", id), shellPane.columns(), shellPane.rows());
                synchronized (this) {
                    if (replacement != null) {
                        replacement.close();
                    }
                    replacement = next;
                    relay = next;
                    events = newEvents;
                    mirror = newMirror;
                    mirrorEnded = false;
                }
                synchronized (chat) {
                    chat.relayBack();
                }
                redrawChat();
                daemon("tunl-join-events", () -> readEvents(newEvents));
                daemon("tunl-join-mirror", () -> readMirror(newMirror));
                return true;
            } catch (RuntimeException e) {
                next.close();
                return false;
            }
        });
    }

    /**
     * Whether the relay connection outlives a stream that just ended by more than a moment (up to
     * 10 s: a relay shutting down may close its views some seconds before its connections).
     */
    private boolean stillConnected() {
        for (int i = 0; i < 100 && relay.isOpen(); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return relay.isOpen();
    }

    private void readMirror(RelayStream mirror) {
        byte[] buffer = new byte[32 * 1024];
        try {
            int read;
            while ((read = mirror.output().read(buffer)) >= 0) {
                shellPane.show(Arrays.copyOf(buffer, read));
            }
        } catch (IOException e) {
            // the view closed; said below
        }
        if (mirror != this.mirror) {
            return;
        }
        synchronized (this) {
            mirrorEnded = true;
            if (closing) {
                // The session's end was heard first; the relay's own last line is on screen now.
                promptToClose();
                return;
            }
        }
        // When the session ended, the chat stream says so a moment later and the join finishes.
        // Otherwise the relay is going away (a relay shutting down closes its views before its
        // connections): drop the connection, and the events reader connects again.
        CompletableFuture.delayedExecutor(END_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!closing && mirror == this.mirror) {
                relay.close();
            }
        });
    }

    /** The join is over: both windows say why, and the next key in either closes the local tmux. */
    private void finish(String message, boolean tellShellWindow) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            if (endMessage == null) {
                endMessage = message;
            }
        }
        synchronized (chat) {
            chat.close("[tunl] " + message);
        }
        redrawChat();
        if (shellPane == null) {
            return;
        }
        if (tellShellWindow) {
            shellPane.show(("\r\n[tunl] " + message + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        synchronized (this) {
            // Otherwise the relay's own end line is still coming on the shell view; ask after it.
            if (tellShellWindow || mirrorEnded) {
                promptToClose();
            }
        }
    }

    private void promptToClose() {
        if (shellPane != null) {
            shellPane.show("\r\n[tunl] press any key to close\r\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void redrawChat() {
        if (chatPane == null) {
            return;
        }
        String screen;
        synchronized (chat) {
            screen = chat.render();
        }
        chatPane.show(screen.getBytes(StandardCharsets.UTF_8));
    }

    /** Keys in window 0 go to the customer's shell (the relay decides whether they may). */
    private final class ShellWindow implements Pane.Listener {
        @Override
        public void keys(byte[] keys) {
            if (closing) {
                tmux.close();
                return;
            }
            send(mirror, keys);
        }

        @Override
        public void resized(int columns, int rows) {
            if (mirror != null) {
                mirror.resize(columns, rows);
            }
        }

        @Override
        public void closed() {
            // the local tmux is going away; attach returns
        }
    }

    /** Keys in window 1 edit the input line; Enter sends it as a chat line. */
    private final class ChatWindow implements Pane.Listener {
        @Override
        public void keys(byte[] keys) {
            if (closing) {
                tmux.close();
                return;
            }
            for (byte key : keys) {
                Optional<String> line;
                synchronized (chat) {
                    line = chat.key(key & 0xff);
                }
                line.ifPresent(text -> send(events, (text + "\n").getBytes(StandardCharsets.UTF_8)));
            }
            redrawChat();
        }

        @Override
        public void resized(int columns, int rows) {
            synchronized (chat) {
                chat.resize(columns, rows);
            }
            redrawChat();
        }

        @Override
        public void closed() {
            // the local tmux is going away; attach returns
        }
    }

    private static void send(RelayStream stream, byte[] bytes) {
        if (stream == null) {
            return;
        }
        try {
            OutputStream in = stream.input();
            in.write(bytes);
            in.flush();
        } catch (IOException e) {
            // the stream closed; its reader reports that
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // this is the hook running
        }
        closeQuietly();
    }

    private synchronized void closeQuietly() {
        closing = true;
        if (mirror != null) {
            mirror.close();
        }
        if (events != null) {
            events.close();
        }
        if (replacement != null) {
            replacement.close();
        }
        if (tmux != null) {
            tmux.close();
        }
        if (shellPane != null) {
            shellPane.close();
        }
        if (chatPane != null) {
            chatPane.close();
        }
        if (folder != null) {
            folder.delete();
        }
    }

    static List<String> paneCommand(Path socket) {
        return SelfCommand.of(PaneClient.COMMAND, socket.toString());
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }
}
