package com.linbit.tunl.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.linbit.tunl.client.RelaySsh;
import com.linbit.tunl.client.RelayTrust;
import com.linbit.tunl.protocol.AsciicastWriter;
import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.Limits;
import com.linbit.tunl.protocol.ProtocolException;

/**
 * One run of the agent: connect and claim the session, lay out the dedicated tmux (shared shell
 * above, chat below), attach the customer's terminal, and relay between tmux and the relay until
 * Ctrl-b Q or the relay ends the session.
 */
final class AgentSession {

    private static final Logger log = Logger.getLogger(AgentSession.class.getName());
    private static final int CHAT_PANE_ROWS = 10;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CHAT_TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private final AgentOptions options;
    private final StateDirectory state;
    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch relayEnded = new CountDownLatch(1);
    private volatile boolean ending;
    private volatile boolean replaced;
    private volatile Process attachedClient;
    private volatile String endMessage;
    private final StatusLine status;
    private volatile TunnelControl tunnel;
    private final ChatReplay chatShown = new ChatReplay();
    /** Orders snapshots against the output pump; see the SNAPSHOT_REQUEST handling. */
    private final Object screenOrder = new Object();

    AgentSession(AgentOptions options, StateDirectory state, PrintStream out, PrintStream err) {
        this.options = options;
        this.status = new StatusLine(options.mode(), options.sessionId());
        this.state = state;
        this.out = out;
        this.err = err;
    }

    int run() throws IOException {
        try (SessionLiveness alive = SessionLiveness.hold(state.runtime(), options.sessionId())) {
            return runMarked();
        }
    }

    private int runMarked() throws IOException {
        RelayTrust trust = RelayTrust.load(options.relayCaFiles());
        if (trust.isEmpty()) {
            err.println("linbit-tunl: no relay CA key is pinned, so the relay cannot be verified.");
            err.println("Pass the relay's CA keys with --relay-ca FILE (support sends them; the relay publishes them at /ca.pub).");
            return 3;
        }
        boolean tmuxInstalled = Tmux.installed();
        if (!tmuxInstalled && options.mode() != AgentOptions.Mode.TUNNEL) {
            err.println("linbit-tunl: tmux is not installed, and " + options.mode().wireName()
                    + " mode needs it to share your shell.");
            err.println("Install tmux (e.g. apt install tmux, dnf install tmux), or ask support whether --tunnel fits.");
            return 4;
        }
        KeyPair key;
        try {
            key = SessionKey.loadOrCreate(state.keyFile(options.sessionId()), options.sessionId());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read or create this session's key: " + e.getMessage(), e);
        }
        RelayConnection relay;
        try {
            relay = RelayConnection.open(
                    () -> RelayLink.open(options.relayHost(), options.relayPort(), options.sessionId(), key, trust, options.proxy()),
                    options.mode().wireName(), LocalMachine.hostname(), Main.version(), runId(),
                    options.reconnectFor(), options.bufferBytes());
        } catch (RelaySsh.RelayUnverifiedException e) {
            err.println("linbit-tunl: the relay at " + options.relayHost() + ":" + options.relayPort()
                    + " could not be verified: " + e.getMessage() + ".");
            err.println("Someone may be intercepting the connection. Nothing was sent; the session was not started.");
            return 3;
        } catch (RelayConnection.RefusedException e) {
            err.println("linbit-tunl: " + e.getMessage());
            return 1;
        } catch (ProtocolException e) {
            err.println("linbit-tunl: the relay answered unexpectedly (" + e.getMessage() + "); please try again or tell support");
            return 1;
        } catch (IOException e) {
            err.println("linbit-tunl: cannot connect to the relay at " + options.relayHost() + ":" + options.relayPort()
                    + ": " + e.getMessage());
            return 5;
        }
        try (relay) {
            Frame.Welcome welcome = relay.welcome();
            status.caseNumber(welcome.caseNumber());
            status.viewers(welcome.viewers());
            if (!tmuxInstalled) {
                sweepStaleKeys(options.sessionId());
                return new TunnelOnlySession(options, out, home()).run(relay, welcome, System.in);
            }
            return share(relay);
        }
    }

    /** Names this run of the agent; the relay tells a reconnect of it from a new run. */
    private static String runId() {
        return java.util.UUID.randomUUID().toString();
    }

    private int share(RelayConnection relay) throws IOException {
        String id = options.sessionId();
        sweepStaleKeys(id);
        Path runtime = state.runtime();
        Tmux tmux = new Tmux("tunl-" + id, runtime.resolve(id + ".tmux.conf"));
        tmux.writeConfig();
        Path fifo = runtime.resolve(id + ".out");
        Files.deleteIfExists(fifo);
        LocalMachine.exec(List.of("mkfifo", "-m", "600", fifo.toString()));
        Path recordingFile = state.recordings().resolve(id + "-" + FILE_TIME.format(Instant.now()) + ".cast");
        Path sockets = state.shortLivedSocketDirectory();
        try (ChatPaneServer pane = new ChatPaneServer(sockets.resolve("chat.sock"), text -> relay.send(new Frame.CustomerChat(text)))) {
            tunnel = new TunnelControl(options, relay, new AuthorizedKeys(home()), text -> pane.line("* " + text),
                    "Ctrl-b R revokes");
            relay.listener(new ConnectionStatus(status, pane, tunnel));
            int[] size = LocalMachine.terminalSize();
            String shell;
            if (tmux.hasSession()) {
                // This machine's session tmux is still alive (terminal closed, agent restarted):
                // keep the shell, give the chat pane this run's socket.
                shell = tmux.display(Tmux.SESSION + ":0.0", "#{pane_id}");
                tmux.respawn(Tmux.SESSION + ":0.1", ChatPane.command(pane.path()));
            } else {
                shell = startLayout(tmux, pane.path(), size);
            }
            status.showOn(pane);
            Tmux.Screen screen = tmux.capture(shell);
            // The relay starts its recording with the first size it hears.
            relay.send(new Frame.Resize(screen.columns(), screen.rows()));
            try (AsciicastWriter recording = new AsciicastWriter(Files.newBufferedWriter(recordingFile, StandardCharsets.UTF_8),
                    screen.columns(), screen.rows(), Instant.now().getEpochSecond(), id, System::nanoTime)) {
                recording.output(screen.repaint());
                // A closed terminal (SIGHUP) still runs shutdown hooks: keep what was recorded,
                // leave no sockets behind.
                Thread onExit = new Thread(() -> {
                    tunnel.close();
                    flushQuietly(recording);
                    deleteQuietly(sockets.resolve("chat.sock"), sockets, fifo);
                }, "tunl-exit");
                Runtime.getRuntime().addShutdownHook(onExit);
                // The reader opens the FIFO before tmux starts the writer, so the writer never
                // waits on a reader that might not come (and outlive us).
                Thread pump = daemon("tunl-output", () -> pumpOutput(fifo, relay, recording, tmux, shell));
                tmux.pipeOutput(shell, fifo);
                daemon("tunl-relay", () -> readRelay(relay, tmux, shell, pane));
                CustomerKeys keys = new CustomerKeys(tmux, () -> ending);
                keys.onFirst(Tmux.QUIT_CHANNEL, () -> {
                    end(relay);
                    tmux.killServer();
                });
                keys.onEach(Tmux.GRANT_CHANNEL, tunnel::grant);
                keys.onEach(Tmux.DENY_CHANNEL, tunnel::deny);
                keys.onEach(Tmux.REVOKE_CHANNEL, tunnel::revoke);
                daemon("tunl-resize", () -> watchSize(tmux, shell, relay, recording, screen.columns(), screen.rows()));
                attach(tmux);
                if (!ending) {
                    end(relay);
                }
                tunnel.close();
                if (!replaced) {
                    tmux.killServer();
                }
                joinQuietly(pump);
                Runtime.getRuntime().removeShutdownHook(onExit);
            }
        } finally {
            deleteQuietly(sockets.resolve("chat.sock"), sockets, fifo);
        }
        if (endMessage != null) {
            out.println(endMessage);
        }
        out.println((replaced ? "Your recording of this part: " : "Session ended. Your recording: ") + recordingFile);
        return 0;
    }

    private void attach(Tmux tmux) throws IOException {
        attachedClient = tmux.attach();
        try {
            attachedClient.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String startLayout(Tmux tmux, Path chatSocket, int[] size) throws IOException {
        String shell = tmux.newSession(Path.of(System.getProperty("user.dir")), size[0], size[1]);
        tmux.splitBelow(shell, CHAT_PANE_ROWS, ChatPane.command(chatSocket));
        return shell;
    }

    private static void deleteQuietly(Path... paths) {
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.log(Level.FINE, "could not delete " + path, e);
            }
        }
    }

    private static void flushQuietly(AsciicastWriter recording) {
        try {
            recording.flush();
        } catch (IOException e) {
            log.log(Level.FINE, "recording flush failed", e);
        }
    }

    /** Shared-pane output, as tmux pipes it, to the relay and the customer's own recording. */
    private void pumpOutput(Path fifo, RelayConnection relay, AsciicastWriter recording, Tmux tmux, String shell) {
        byte[] buffer = new byte[Limits.MAX_OUTPUT_CHUNK];
        try (InputStream in = Files.newInputStream(fifo)) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                byte[] chunk = Arrays.copyOf(buffer, read);
                synchronized (screenOrder) {
                    recording.output(chunk);
                    relay.send(new Frame.Output(chunk));
                }
            }
            // The pipe closes when the shell exits, but also when another run of the agent pipes
            // the pane to itself; only a shell that is really gone ends the session.
            if (!ending && !tmux.paneExists(shell)) {
                endMessage = "The shared shell exited.";
                end(relay);
                tmux.killServer();
            }
        } catch (IOException e) {
            log.log(Level.FINE, "output pump ended", e);
        }
    }

    private void readRelay(RelayConnection relay, Tmux tmux, String shell, ChatPaneServer pane) {
        try {
            Frame frame;
            while ((frame = relay.read()) != null) {
                if (frame instanceof Frame.Error error && "replaced".equals(error.code())) {
                    // Another run of the agent took over: it owns the tmux now, leave it be.
                    replaced = true;
                    ending = true;
                    endMessage = "This session continues in another linbit-tunl started on this machine.";
                    Process client = attachedClient;
                    if (client != null) {
                        client.destroy();
                    }
                    return;
                }
                try {
                    handle(frame, relay, tmux, shell, pane);
                } catch (IOException e) {
                    // A tmux hiccup or an oversized snapshot spoils one frame, not the connection.
                    log.log(Level.WARNING, "could not act on " + frame.type(), e);
                }
                if (frame instanceof Frame.Ended || frame instanceof Frame.Error) {
                    return;
                }
            }
            relayLost();
        } catch (ProtocolException e) {
            log.log(Level.WARNING, "relay connection ended", e);
            relayLost();
        } finally {
            relayEnded.countDown();
        }
    }

    private void handle(Frame frame, RelayConnection relay, Tmux tmux, String shell, ChatPaneServer pane) throws IOException {
        if (frame instanceof Frame.Input input) {
            if (options.mode().allowsInput()) {
                tmux.sendBytes(shell, input.data());
            }
        } else if (frame instanceof Frame.SnapshotRequest) {
            // Output queued before the snapshot is in it, output after it follows it: a viewer
            // (which drops output until its snapshot) never misses what was printed meanwhile.
            synchronized (screenOrder) {
                Tmux.Screen screen = tmux.capture(shell);
                // The relay starts its recording with the first size it hears.
                relay.send(new Frame.Resize(screen.columns(), screen.rows()));
                relay.send(new Frame.Snapshot(screen.columns(), screen.rows(), screen.repaint()));
            }
        } else if (frame instanceof Frame.Chat chat) {
            if (!chatShown.firstTime(chat)) {
                return;
            }
            pane.line("[" + CHAT_TIME.format(Instant.ofEpochMilli(chat.sentAtEpochMillis())) + "] "
                    + chat.author() + ": " + chat.text());
        } else if (frame instanceof Frame.Notice notice) {
            pane.line("* " + notice.text());
        } else if (frame instanceof Frame.Status viewersNow) {
            status.viewers(viewersNow.viewers());
        } else if (frame instanceof Frame.TunnelRequest request) {
            tunnel.requested(request);
        } else if (frame instanceof Frame.Ended ended) {
            finishFromRelay(tmux, EndReasons.describe(ended.reason()));
        } else if (frame instanceof Frame.Error error) {
            finishFromRelay(tmux, "The relay ended the session: " + error.message());
        }
    }

    /** Without the relay no tunnel works: the support key comes out at once, not at Ctrl-b Q. */
    private void relayLost() {
        status.connection("relay connection lost");
        tunnel.close();
    }

    private void finishFromRelay(Tmux tmux, String message) {
        if (endMessage == null) {
            endMessage = message;
        }
        ending = true;
        tmux.killServer();
    }

    /**
     * Support keys left by sessions whose agent is gone (killed, machine rebooted) come out now;
     * this session's own too, since nothing is granted at the start of a run.
     */
    private void sweepStaleKeys(String id) {
        try {
            Path runtime = state.runtime();
            int removed = AuthorizedKeys.sweepStale(home(),
                    other -> !other.equals(id) && (Tmux.sessionRunning(other) || SessionLiveness.running(runtime, other)));
            if (removed > 0) {
                out.println("Removed " + removed + " leftover support key(s) of earlier sessions from ~/.ssh/authorized_keys.");
            }
        } catch (IOException e) {
            err.println("linbit-tunl: could not check ~/.ssh/authorized_keys for leftover support keys: " + e.getMessage());
        }
    }

    private static Path home() {
        return Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home")));
    }

    /** Tells the relay the customer ended it, and waits briefly for the relay to confirm. */
    private void end(RelayConnection relay) {
        ending = true;
        relay.send(new Frame.End("customer"));
        try {
            relayEnded.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Once a second: the recording reaches the disk, and a changed pane size reaches the relay. */
    private void watchSize(Tmux tmux, String shell, RelayConnection relay, AsciicastWriter recording, int columns, int rows) {
        int lastColumns = columns;
        int lastRows = rows;
        while (!ending) {
            try {
                Thread.sleep(1000);
                recording.flush();
                String[] size = tmux.display(shell, "#{pane_width} #{pane_height}").split(" ");
                int nowColumns = Integer.parseInt(size[0]);
                int nowRows = Integer.parseInt(size[1]);
                if (nowColumns != lastColumns || nowRows != lastRows) {
                    lastColumns = nowColumns;
                    lastRows = nowRows;
                    recording.resize(nowColumns, nowRows);
                    relay.send(new Frame.Resize(nowColumns, nowRows));
                }
            } catch (IOException | RuntimeException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The output pump ends when tmux does; wait for it so the recording gets the last output. */
    private static void joinQuietly(Thread thread) {
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
