package com.linbit.tunl.relay.ssh.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Executor;

import com.linbit.tunl.relay.chat.ChatLine;
import com.linbit.tunl.relay.chat.ChatRefusedException;
import com.linbit.tunl.relay.chat.ChatService;
import com.linbit.tunl.relay.live.LiveSession;
import com.linbit.tunl.relay.live.LiveSessions;
import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.session.SupportSession;

/**
 * {@code chat <id> [--say TEXT | --events]}: one line with {@code --say}; machine-readable events
 * with {@code --events} ({@link ChatEventStream}); otherwise an interactive chat with the recent
 * lines, live lines from everyone, and an input line (Enter sends, Ctrl-D leaves).
 */
final class ChatCommand extends SupportCommand {

    static final String USAGE = "chat <session-id> [--say TEXT | --events]";
    private static final int HISTORY = 50;
    private static final String PROMPT = "> ";
    /** Chat is small; a chat viewer this far behind is not reading at all. */
    private static final long CHAT_BUFFER = 1024 * 1024;

    private final SessionService sessions;
    private final LiveSessions live;
    private final ChatService chat;
    private final Executor streams;

    ChatCommand(Executor streams, SessionService sessions, LiveSessions live, ChatService chat) {
        super(streams);
        this.streams = streams;
        this.sessions = sessions;
        this.live = live;
        this.chat = chat;
    }

    @Override
    String name() {
        return "chat";
    }

    @Override
    int run(Invocation invocation) throws Exception {
        Arguments args = Arguments.parse(name(), invocation.words(), Set.of("say"), Set.of("events"));
        args.expectPositional(name(), 1, 1, USAGE);
        SupportSession session = OpenSessions.require(sessions, args.positional().get(0));
        String say = args.option("say");
        if (say != null) {
            if (args.flag("events")) {
                throw new UsageException("chat: --say and --events do not go together");
            }
            post(session.getId(), invocation.user(), say);
            return 0;
        }
        if (args.flag("events")) {
            return streamEvents(invocation, session);
        }
        if (!invocation.pty()) {
            throw new UsageException("interactive chat needs a terminal: ssh -t ... chat " + session.getId()
                    + ", or send one line with --say TEXT");
        }
        LiveSession liveSession = live.open(session.getId());
        ChatViewer viewer = new ChatViewer(invocation.user());
        viewer.text("[tunl] chat in " + session.getId() + " — Enter sends, Ctrl-D leaves\r\n");
        chat.recent(session.getId(), HISTORY).forEach(line -> viewer.text(StreamViewer.format(line) + "\r\n"));
        viewer.text(PROMPT);
        liveSession.attach(viewer);
        streams.execute(() -> readLines(invocation.in(), session.getId(), viewer, liveSession));
        // The command's own thread writes: a thread per direction, none idle waiting.
        viewer.pumpTo(invocation.rawOut());
        liveSession.detach(viewer);
        return 0;
    }

    private int streamEvents(Invocation invocation, SupportSession session) {
        LiveSession liveSession = live.open(session.getId());
        ChatEventStream events = new ChatEventStream(invocation.user(), session, liveSession);
        events.presenceChanged();
        chat.recent(session.getId(), HISTORY).forEach(events::chat);
        liveSession.attach(events);
        streams.execute(() -> events.readLines(invocation.in(), session.getId(), chat));
        events.pumpTo(invocation.rawOut());
        liveSession.detach(events);
        return 0;
    }

    private void post(String sessionId, String author, String text) throws UsageException {
        try {
            chat.post(sessionId, author, text);
        } catch (ChatRefusedException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private void readLines(InputStream in, String sessionId, ChatViewer viewer, LiveSession session) {
        try {
            int b;
            while ((b = in.read()) >= 0) {
                if (b == 4 || b == 3) { // Ctrl-D, Ctrl-C
                    break;
                }
                if (b == '\r' || b == '\n') {
                    String line = viewer.takeInput();
                    if (!line.isBlank()) {
                        try {
                            chat.post(sessionId, viewer.engineer(), line);
                        } catch (ChatRefusedException e) {
                            viewer.notice(e.getMessage());
                        }
                    }
                } else if (b == 0x7f || b == 8) {
                    viewer.erase();
                } else if (b == 0x15) { // Ctrl-U
                    viewer.clearInput();
                } else if (b >= 0x20) {
                    viewer.type((byte) b);
                }
            }
        } catch (IOException e) {
            // the channel closed
        }
        session.detach(viewer);
    }

    /** Chat lines above, the engineer's input line at the bottom, redrawn as lines arrive. */
    static final class ChatViewer extends StreamViewer {

        private final ByteArrayOutputStream input = new ByteArrayOutputStream();

        ChatViewer(String engineer) {
            super(engineer, false, CHAT_BUFFER);
        }

        @Override
        public synchronized void chat(ChatLine line) {
            text("\r\u001b[K" + format(line) + "\r\n" + PROMPT + currentInput());
        }

        @Override
        public synchronized void notice(String text) {
            text("\r\u001b[K[tunl] " + text + "\r\n" + PROMPT + currentInput());
        }

        synchronized void type(byte b) {
            if (input.size() < 4 * 2000) {
                input.write(b);
                offerText(new byte[] {b});
            }
        }

        synchronized void erase() {
            String current = currentInput();
            if (!current.isEmpty()) {
                String shorter = current.substring(0, current.offsetByCodePoints(current.length(), -1));
                input.reset();
                input.writeBytes(shorter.getBytes(StandardCharsets.UTF_8));
                text("\b \b");
            }
        }

        synchronized void clearInput() {
            input.reset();
            text("\r\u001b[K" + PROMPT);
        }

        synchronized String takeInput() {
            String line = currentInput();
            input.reset();
            text("\r\u001b[K" + PROMPT);
            return line;
        }

        private String currentInput() {
            return input.toString(StandardCharsets.UTF_8);
        }
    }
}
