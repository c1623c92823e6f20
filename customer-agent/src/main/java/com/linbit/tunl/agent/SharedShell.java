package com.linbit.tunl.agent;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

import com.linbit.tunl.protocol.AsciicastWriter;
import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.Limits;

/**
 * Share and restricted mode: lays out the dedicated tmux (shared shell above, chat below), attaches
 * the customer's terminal, and relays between tmux and the relay until the customer leaves.
 *
 * <p>Only the customer ends the customer's shell: Ctrl-b Q, exiting the shell, or closing the
 * terminal (SIGHUP, like any signal that ends the agent short of {@code kill -9}, which leaves the
 * session resumable). When the relay ends the session (idle, maximum duration, an admin, an error)
 * support loses keystrokes, keys and forwards at once, while the shell and its jobs keep running
 * and the chat pane says why and how to leave.
 */
final class SharedShell {

    private static final Logger log = Logger.getLogger(SharedShell.class.getName());
    private static final int CHAT_PANE_ROWS = 10;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CHAT_TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private final AgentOptions options;
    private final StateDirectory state;
    private final PrintStream out;
    private final RelayConnection relay;
    private final Path folder;
    private final Tmux tmux;
    private final String tmuxShown;
    private final StatusLine status;
    private final CountDownLatch relayDone = new CountDownLatch(1);
    private final ChatReplay chatShown = new ChatReplay();
    /** Orders snapshots against the output pump; see the SNAPSHOT_REQUEST handling. */
    private final Object screenOrder = new Object();
    /** The agent is leaving: the customer quit, the shell exited, or another run took over. */
    private volatile boolean ending;
    /** The relay ended the session; the shell stays until the customer leaves. */
    private volatile boolean sessionOver;
    private volatile boolean replaced;
    private boolean left;
    private volatile Process attachedClient;
    private volatile String endMessage;
    private TunnelControl tunnel;
    private ProblemReports problems;
    private ChatPaneServer pane;
    private Path recordingPath;

    SharedShell(AgentOptions options, StateDirectory state, PrintStream out, RelayConnection relay, StatusLine status,
                TmuxVersion version, Path folder) {
        this.options = options;
        this.state = state;
        this.out = out;
        this.relay = relay;
        this.status = status;
        this.folder = folder;
        this.tmuxShown = version.toString();
        this.tmux = new Tmux("tunl-" + options.sessionId(), folder.resolve("tmux.conf"), version.keystrokes());
    }

    /** Runs the session; sockets, FIFO and tmux config go in this run's private folder, which the caller removes. */
    int run() throws IOException {
        tmux.writeConfig();
        Path fifo = folder.resolve("out");
        LocalMachine.exec(List.of("mkfifo", "-m", "600", fifo.toString()));
        try (ChatPaneServer chat = new ChatPaneServer(folder.resolve("chat.sock"), text -> relay.send(new Frame.CustomerChat(text)))) {
            pane = chat;
            problems = new ProblemReports(chat::line, relay::send);
            tunnel = new TunnelControl(options, relay, new AuthorizedKeys(state.folders()), text -> chat.line("* " + text),
                    "Ctrl-b R revokes");
            relay.listener(new ConnectionStatus(status, chat, tunnel));
            boolean resumed = tmux.hasSession();
            String shell;
            Tmux.Repaint first;
            try {
                shell = resumed ? resume(chat) : startLayout(chat.path());
                status.showOn(chat);
                first = tmux.repaint(shell, Limits.MAX_SNAPSHOT_SCREEN);
            } catch (IOException e) {
                throw setupFailed(resumed, e);
            }
            // The relay starts its recording with the first size it hears.
            relay.send(new Frame.Resize(first.screen().columns(), first.screen().rows()));
            Path recordingFile;
            try (AsciicastWriter recording = newRecording(first.screen())) {
                recordingFile = recordingPath;
                recording.output(first.bytes());
                // The reader opens the FIFO before tmux starts the writer, so the writer never
                // waits on a reader that might not come (and outlive us).
                Thread pump = daemon("tunl-output", () -> pumpOutput(fifo, recording, shell));
                try {
                    tmux.pipeOutput(shell, fifo);
                } catch (IOException e) {
                    throw setupFailed(resumed, e);
                }
                Thread onExit = new Thread(() -> {
                    leave();
                    flushQuietly(recording);
                }, "tunl-exit");
                Runtime.getRuntime().addShutdownHook(onExit);
                daemon("tunl-relay", () -> readRelay(shell));
                CustomerKeys keys = new CustomerKeys(tmux, () -> ending);
                keys.onFirst(Tmux.QUIT_CHANNEL, this::leave);
                keys.onEach(Tmux.GRANT_CHANNEL, tunnel::grant);
                keys.onEach(Tmux.DENY_CHANNEL, tunnel::deny);
                keys.onEach(Tmux.REVOKE_CHANNEL, tunnel::revoke);
                daemon("tunl-resize", () -> watchSize(shell, recording, first.screen().columns(), first.screen().rows()));
                attach();
                leave();
                joinQuietly(pump);
                Runtime.getRuntime().removeShutdownHook(onExit);
            }
            if (endMessage != null) {
                out.println(endMessage);
            }
            out.println((replaced ? "Your recording of this part: " : "Session ended. Your recording: ") + recordingFile);
            return 0;
        }
    }

    /** Nothing half-made stays: a tmux this run started goes; a resumed one keeps the customer's shell. */
    private IOException setupFailed(boolean resumed, IOException cause) {
        if (!resumed) {
            tmux.killServer();
        }
        return new IOException("could not set up the shared shell with " + tmuxShown + ": " + cause.getMessage(), cause);
    }

    /** This machine's session tmux is still alive (agent killed, terminal closed): keep the shell, give the chat pane this run's socket. */
    private String resume(ChatPaneServer chat) throws IOException {
        String shell = tmux.display(Tmux.SESSION + ":0.0", "#{pane_id}");
        tmux.respawn(Tmux.SESSION + ":0.1", ChatPane.command(chat.path()));
        return shell;
    }

    private String startLayout(Path chatSocket) throws IOException {
        int[] size = LocalMachine.terminalSize();
        String shell = tmux.newSession(Path.of(System.getProperty("user.dir")), size[0], size[1]);
        tmux.splitBelow(shell, CHAT_PANE_ROWS, ChatPane.command(chatSocket));
        return shell;
    }

    /** The customer's own recording: a new file (0600) in the recordings folder, never through a link. */
    private AsciicastWriter newRecording(Tmux.Screen screen) throws IOException {
        Path folder = state.recordings();
        String name = options.sessionId() + "-" + FILE_TIME.format(Instant.now());
        for (int n = 1; ; n++) {
            Path file = folder.resolve(name + (n == 1 ? "" : "-" + n) + ".cast");
            try {
                BufferedWriter writer = new BufferedWriter(Channels.newWriter(
                        OwnFolders.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), StandardCharsets.UTF_8));
                recordingPath = file;
                return new AsciicastWriter(writer, screen.columns(), screen.rows(), Instant.now().getEpochSecond(),
                        options.sessionId(), System::nanoTime);
            } catch (FileAlreadyExistsException taken) {
                if (n > 100) {
                    throw taken;
                }
            }
        }
    }

    private void attach() throws IOException {
        attachedClient = tmux.attach();
        try {
            attachedClient.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Once, whoever gets here first (Ctrl-b Q, the shell's exit, the terminal's client ending, a
     * signal): the relay hears the customer ended the session unless it ended it or another run took
     * over, the support key comes out, and the tmux with the shell goes unless another run owns it.
     */
    private synchronized void leave() {
        if (left) {
            return;
        }
        left = true;
        if (!replaced && !sessionOver) {
            ending = true;
            relay.send(new Frame.End("customer"));
            await(relayDone, 5);
        }
        ending = true;
        tunnel.close();
        if (!replaced) {
            tmux.killServer();
        }
    }

    /** Shared-pane output, as tmux pipes it, to the relay and the customer's own recording. */
    private void pumpOutput(Path fifo, AsciicastWriter recording, String shell) {
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
                if (endMessage == null) {
                    endMessage = "The shared shell exited.";
                }
                leave();
            }
        } catch (IOException e) {
            log.log(Level.FINE, "output pump ended", e);
        }
    }

    private void readRelay(String shell) {
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
                handle(frame, shell);
                if (frame instanceof Frame.Ended || frame instanceof Frame.Error) {
                    return;
                }
            }
            if (!sessionOver && !ending) {
                // Without the relay no tunnel works: the support key comes out at once, not at Ctrl-b Q.
                status.connection("relay connection lost");
                tunnel.close();
            }
        } finally {
            relayDone.countDown();
        }
    }

    private void handle(Frame frame, String shell) {
        if (frame instanceof Frame.Input input) {
            if (options.mode().allowsInput() && !sessionOver && !ending) {
                typeKeys(shell, input);
            }
        } else if (frame instanceof Frame.SnapshotRequest) {
            // Output queued before the snapshot is in it, output after it follows it: a viewer
            // (which drops output until its snapshot) never misses what was printed meanwhile.
            synchronized (screenOrder) {
                try {
                    Tmux.Repaint repaint = tmux.repaint(shell, Limits.MAX_SNAPSHOT_SCREEN);
                    // The relay starts its recording with the first size it hears.
                    relay.send(new Frame.Resize(repaint.screen().columns(), repaint.screen().rows()));
                    relay.send(new Frame.Snapshot(repaint.screen().columns(), repaint.screen().rows(), repaint.bytes()));
                } catch (IOException e) {
                    problems.report("snapshot", "the shared shell could not be captured for support's view: " + e.getMessage());
                }
            }
        } else if (frame instanceof Frame.Chat chat) {
            if (chatShown.firstTime(chat)) {
                pane.line("[" + CHAT_TIME.format(Instant.ofEpochMilli(chat.sentAtEpochMillis())) + "] "
                        + chat.author() + ": " + chat.text());
            }
        } else if (frame instanceof Frame.Notice notice) {
            pane.line("* " + notice.text());
        } else if (frame instanceof Frame.Status viewersNow) {
            status.viewers(viewersNow.viewers());
        } else if (frame instanceof Frame.TunnelRequest request) {
            tunnel.requested(request);
        } else if (frame instanceof Frame.Ended ended) {
            String why = EndReasons.describe(ended.reason());
            endedByRelay(why != null ? why : "The session ended.");
        } else if (frame instanceof Frame.Error error) {
            endedByRelay("The relay ended the session: " + error.message());
        }
    }

    private void typeKeys(String shell, Frame.Input input) {
        try {
            int untypable = tmux.sendBytes(shell, input.data());
            if (untypable > 0) {
                problems.report("untypable", untypable + " byte(s) typed by " + input.engineer() + " are not UTF-8 text,"
                        + " which " + tmuxShown + " cannot type (tmux 3.0 or newer can); they were left out");
            }
        } catch (IOException e) {
            problems.report("typing", "keys typed by " + input.engineer() + " did not reach the shell: " + e.getMessage());
        }
    }

    /** The relay ended the session: support loses everything now; the shell and its jobs stay until the customer leaves. */
    private void endedByRelay(String why) {
        if (ending) {
            return;
        }
        sessionOver = true;
        endMessage = why;
        tunnel.close();
        relay.close();
        status.connection("session ended");
        pane.line("* " + why);
        pane.line("* Support no longer sees or types in your shell, and no support key is left on this machine."
                + " Your shell and its jobs keep running: Ctrl-b Q (or exit in the shell) leaves.");
    }

    /** Once a second: the recording reaches the disk, and a changed pane size reaches the relay. */
    private void watchSize(String shell, AsciicastWriter recording, int columns, int rows) {
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
                if (!ending && tmux.paneExists(shell)) {
                    problems.report("size", "the shared shell's size could not be read: " + e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void await(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void flushQuietly(AsciicastWriter recording) {
        try {
            recording.flush();
        } catch (IOException e) {
            log.log(Level.FINE, "recording flush failed", e);
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
