package com.linbit.tunl.relay.ssh.command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Executor;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.chat.ChatLine;
import com.linbit.tunl.relay.live.LiveSession;
import com.linbit.tunl.relay.live.LiveSessions;
import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.session.SupportSession;
import com.linbit.tunl.relay.ssh.SshSessions;

/**
 * {@code join <id>}: the customer's shared shell on the engineer's terminal, current screen first;
 * keystrokes go to the customer in share mode. Ctrl-] leaves without ending the session.
 */
final class JoinCommand extends SupportCommand {

    static final String USAGE = "join <session-id>";
    static final byte DETACH_KEY = 0x1d;

    private final SessionService sessions;
    private final LiveSessions live;
    private final AuditLog audit;
    private final Executor streams;
    private final long viewerBuffer;

    JoinCommand(Executor streams, SessionService sessions, LiveSessions live, AuditLog audit, long viewerBuffer) {
        super(streams);
        this.viewerBuffer = viewerBuffer;
        this.streams = streams;
        this.sessions = sessions;
        this.live = live;
        this.audit = audit;
    }

    @Override
    String name() {
        return "join";
    }

    @Override
    int run(Invocation invocation) throws Exception {
        Arguments args = Arguments.parse(name(), invocation.words(), Set.of(), Set.of());
        args.expectPositional(name(), 1, 1, USAGE);
        String id = args.positional().get(0);
        if (!invocation.pty()) {
            throw new UsageException("join needs a terminal: run it as ssh -t ... join " + SshSessions.printableUser(id));
        }
        SupportSession session = OpenSessions.require(sessions, id);
        LiveSession liveSession = live.open(session.getId());
        String engineer = invocation.user();
        TerminalViewer viewer = new TerminalViewer(engineer, viewerBuffer);
        viewer.text("[tunl] joined " + id + " — Ctrl-] leaves, the session goes on\r\n");
        if (!liveSession.agentConnected()) {
            viewer.notice("waiting for the customer to connect (linbit-tunl " + id + ")");
        }
        String address = SshSessions.sourceAddress(invocation.channel().getSession());
        // The engineer's screen never waits on the database.
        audit.recordLater(AuditEntry.of(AuditEventType.SUPPORT_JOINED, engineer).from(address).session(id));
        liveSession.attach(viewer);
        streams.execute(() -> forwardKeys(invocation.in(), liveSession, viewer, address));
        // This command's own thread writes the screen: a thread per direction, none idle waiting.
        viewer.pumpTo(invocation.rawOut());
        liveSession.detach(viewer);
        audit.recordLater(AuditEntry.of(AuditEventType.SUPPORT_LEFT, engineer).from(address).session(id));
        return 0;
    }

    private void forwardKeys(InputStream in, LiveSession session, TerminalViewer viewer, String address) {
        byte[] buffer = new byte[4096];
        boolean denied = false;
        boolean waitingNoted = false;
        try {
            int read;
            while (!viewer.isClosed() && (read = in.read(buffer)) >= 0) {
                int detach = indexOf(buffer, read, DETACH_KEY);
                byte[] keys = Arrays.copyOf(buffer, detach >= 0 ? detach : read);
                LiveSession.InputResult result = keys.length > 0 ? session.input(viewer, keys) : LiveSession.InputResult.SENT;
                if (result == LiveSession.InputResult.RESTRICTED && !denied) {
                    denied = true;
                    viewer.notice("restricted session: your keystrokes are not sent to the customer");
                    audit.recordLater(AuditEntry.of(AuditEventType.INPUT_DENIED, viewer.engineer()).from(address)
                            .session(session.id()).reason("restricted"));
                } else if (result == LiveSession.InputResult.NOT_CONNECTED && !waitingNoted) {
                    waitingNoted = true;
                    viewer.notice("the customer is not connected; your keystrokes went nowhere");
                }
                if (detach >= 0) {
                    viewer.text("\r\n[tunl] left " + session.id() + "; the session goes on\r\n");
                    break;
                }
            }
        } catch (IOException e) {
            // the channel closed
        }
        session.detach(viewer);
    }

    private static int indexOf(byte[] buffer, int length, byte value) {
        for (int i = 0; i < length; i++) {
            if (buffer[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** Shows the shared shell; chat is for {@code chat <id>}. */
    static final class TerminalViewer extends StreamViewer {

        private volatile boolean closed;

        TerminalViewer(String engineer, long maxQueuedBytes) {
            super(engineer, true, maxQueuedBytes);
        }

        @Override
        public void chat(ChatLine line) {
            // not shown over the customer's screen
        }

        @Override
        public synchronized void close() {
            closed = true;
            super.close();
        }

        boolean isClosed() {
            return closed;
        }
    }
}
