package com.linbit.tunl.relay.ssh.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.linbit.tunl.relay.chat.ChatLine;
import com.linbit.tunl.relay.chat.ChatRefusedException;
import com.linbit.tunl.relay.chat.ChatService;
import com.linbit.tunl.relay.chat.ChatText;
import com.linbit.tunl.relay.live.LiveSession;
import com.linbit.tunl.relay.session.SessionMode;
import com.linbit.tunl.relay.session.SessionState;
import com.linbit.tunl.relay.session.SupportSession;

/**
 * {@code chat <id> --events}: the chat as machine-readable lines for programs such as the
 * {@code tunl join} chat window, which draw their own screen. One event per line, fields separated
 * by tabs (see docs/protocol.md); each line read from the program is posted as a chat line.
 */
final class ChatEventStream extends StreamViewer {

    /** Longer input lines are refused; chat lines are at most {@value ChatText#MAX_CHARS} characters. */
    static final int MAX_INPUT_LINE = 4 * ChatText.MAX_CHARS;
    private static final long BUFFER = 1024 * 1024;

    private final LiveSession live;
    private final String caseNumber;
    private boolean customerSeen;
    private String lastStatus = "";

    ChatEventStream(String engineer, SupportSession session, LiveSession live) {
        super(engineer, false, BUFFER);
        this.live = live;
        this.caseNumber = session.getCaseNumber();
        this.customerSeen = session.getState() != SessionState.WAITING;
    }

    @Override
    public void chat(ChatLine line) {
        event("chat", line.sentAt().toString(), line.author(), line.text());
    }

    @Override
    public void notice(String text) {
        event("notice", text);
    }

    @Override
    public void ended(String message) {
        event("ended", message);
        close();
    }

    @Override
    public synchronized void presenceChanged() {
        boolean connected = live.agentConnected();
        customerSeen |= connected;
        SessionMode mode = live.mode();
        String status = String.join("\t", "status",
                "case=" + (caseNumber == null ? "" : field(caseNumber)),
                "mode=" + (mode == null ? "" : mode.wireName()),
                "viewers=" + live.watcherCount(),
                "customer=" + (connected ? "connected" : customerSeen ? "reconnecting" : "waiting"));
        if (!status.equals(lastStatus)) {
            lastStatus = status;
            text(status + "\n");
        }
    }

    /** Posts each line read until the program closes its side or sends Ctrl-D on a line of its own. */
    void readLines(InputStream in, String sessionId, ChatService chat) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean overlong = false;
        try {
            int b;
            while ((b = in.read()) >= 0 && b != 4) {
                if (b == '\n') {
                    if (overlong) {
                        notice("line too long (over " + MAX_INPUT_LINE + " bytes): nothing sent, split it up");
                    } else {
                        post(chat, sessionId, line.toString(StandardCharsets.UTF_8));
                    }
                    line.reset();
                    overlong = false;
                } else if (line.size() < MAX_INPUT_LINE) {
                    line.write(b);
                } else {
                    overlong = true;
                }
            }
        } catch (IOException e) {
            // the channel closed
        }
        live.detach(this);
    }

    private void post(ChatService chat, String sessionId, String text) {
        if (text.isBlank()) {
            return;
        }
        try {
            chat.post(sessionId, engineer(), text);
        } catch (ChatRefusedException e) {
            notice(e.getMessage());
        }
    }

    private void event(String type, String... fields) {
        StringBuilder line = new StringBuilder(type);
        for (String field : fields) {
            line.append('\t').append(field(field));
        }
        text(line.append('\n').toString());
    }

    /** Tabs and line breaks would split a field; chat text is already free of other controls. */
    private static String field(String value) {
        return value.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
