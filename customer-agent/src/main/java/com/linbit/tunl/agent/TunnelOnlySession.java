package com.linbit.tunl.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.linbit.tunl.protocol.Frame;

/**
 * Tunnel mode without tmux: no shell is shared, only this machine's sshd is reachable for support
 * through the pre-opened tunnel. Status and chat go to the plain terminal; a typed line is a chat
 * line; {@code q} or Ctrl-C ends the session with the same cleanup as Ctrl-b Q.
 */
final class TunnelOnlySession {

    private static final Logger log = Logger.getLogger(TunnelOnlySession.class.getName());
    private static final DateTimeFormatter CHAT_TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
    private static final byte[] NO_SCREEN = "[tunl] tunnel mode: the customer shares no shell, only ssh through the tunnel\r\n"
            .getBytes(StandardCharsets.UTF_8);

    private final AgentOptions options;
    private final PrintStream out;
    private final AuthorizedKeys authorizedKeys;
    private final String whyNoShell;
    private final CountDownLatch relayEnded = new CountDownLatch(1);
    private final ChatReplay chatShown = new ChatReplay();
    private volatile boolean ending;
    private volatile String endMessage;

    /** @param whyNoShell why no shell is shared, e.g. "tmux is not installed" */
    TunnelOnlySession(AgentOptions options, PrintStream out, AuthorizedKeys authorizedKeys, String whyNoShell) {
        this.options = options;
        this.out = out;
        this.authorizedKeys = authorizedKeys;
        this.whyNoShell = whyNoShell;
    }

    int run(RelayConnection relay, Frame.Welcome welcome, InputStream keyboard) {
        TunnelControl tunnel = new TunnelControl(options, relay, authorizedKeys, text -> say("* " + text),
                "q ends the session and closes it");
        relay.listener(new RelayConnection.Listener() {
            public void reconnecting(int attempt) {
                tunnel.suspend();
                say("* connection to the relay lost; reconnecting (attempt " + attempt + ")");
            }

            public void reconnected(Frame.Welcome welcome) {
                say("* reconnected to the relay");
                tunnel.resume();
            }

            public void gaveUp(String why) {
                tunnel.close();
                say("* gave up reconnecting: " + why);
            }
        });
        // Every run sends at least one frame, so a reconnect of it is never taken for a new run.
        relay.send(new Frame.Resize(80, 24));
        say("[LINBIT TUNNEL] " + options.sessionId() + "  relay connected"
                + (welcome.caseNumber() == null || welcome.caseNumber().isEmpty() ? "" : "  case " + welcome.caseNumber()));
        say("No shell is shared (" + whyNoShell + "). Support can log in to this machine's sshd (port "
                + options.sshPort() + ") through the tunnel while this runs.");
        say("Type a line and Enter to chat; q and Enter, or Ctrl-C, end the session.");
        Thread onExit = new Thread(() -> finish(relay, tunnel), "tunl-exit");
        Runtime.getRuntime().addShutdownHook(onExit);
        Thread reader = new Thread(() -> readRelay(relay, tunnel), "tunl-relay");
        reader.setDaemon(true);
        reader.start();
        // The keyboard is read on a thread of its own: when the relay ends the session, nobody
        // has to press anything for the agent to finish.
        CountDownLatch quit = new CountDownLatch(1);
        Thread typing = new Thread(() -> {
            readKeyboard(relay, keyboard);
            quit.countDown();
        }, "tunl-keyboard");
        typing.setDaemon(true);
        typing.start();
        awaitEither(quit);
        finish(relay, tunnel);
        Runtime.getRuntime().removeShutdownHook(onExit);
        say(endMessage != null ? endMessage : "Session ended.");
        return 0;
    }

    private void readKeyboard(RelayConnection relay, InputStream keyboard) {
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(keyboard, StandardCharsets.UTF_8));
            String line;
            while (!ending && (line = lines.readLine()) != null) {
                if (line.strip().equalsIgnoreCase("q")) {
                    return;
                }
                if (!line.isBlank()) {
                    send(relay, new Frame.CustomerChat(line));
                }
            }
            // End of input (the terminal went away): the relay or a signal ends the session.
            relayEnded.await();
        } catch (IOException e) {
            log.log(Level.FINE, "keyboard closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitEither(CountDownLatch quit) {
        try {
            while (quit.getCount() > 0 && relayEnded.getCount() > 0) {
                quit.await(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readRelay(RelayConnection relay, TunnelControl tunnel) {
        try {
            Frame frame;
            while ((frame = relay.read()) != null) {
                if (frame instanceof Frame.TunnelRequest request) {
                    tunnel.requested(request);
                } else if (frame instanceof Frame.Chat chat) {
                    if (!chatShown.firstTime(chat)) {
                        continue;
                    }
                    say("[" + CHAT_TIME.format(Instant.ofEpochMilli(chat.sentAtEpochMillis())) + "] " + chat.author() + ": " + chat.text());
                } else if (frame instanceof Frame.Notice notice) {
                    say("* " + notice.text());
                } else if (frame instanceof Frame.SnapshotRequest) {
                    send(relay, new Frame.Snapshot(80, 24, NO_SCREEN));
                } else if (frame instanceof Frame.Ended ended) {
                    endMessage = EndReasons.describe(ended.reason());
                    break;
                } else if (frame instanceof Frame.Error error) {
                    endMessage = "The relay ended the session: " + error.message();
                    break;
                }
            }
            if (!ending && endMessage == null) {
                endMessage = "The connection to the relay was lost; the tunnel is closed.";
            }
        } finally {
            ending = true;
            relayEnded.countDown();
        }
    }

    /** Once: the keys come out and the relay hears that the customer ended it. */
    private synchronized void finish(RelayConnection relay, TunnelControl tunnel) {
        tunnel.close();
        if (relayEnded.getCount() > 0 && !ending) {
            ending = true;
            send(relay, new Frame.End("customer"));
            try {
                relayEnded.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ending = true;
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static void send(RelayConnection relay, Frame frame) {
        relay.send(frame);
    }
}
