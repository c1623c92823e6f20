package com.linbit.tunl.relay.chat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.live.LiveSessions;
import com.linbit.tunl.relay.session.SessionService;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;

/** Stores chat lines and hands them to everyone in the session. */
@Service
public class ChatService {

    private final ChatMessageRepository messages;
    private final SessionService sessions;
    private final LiveSessions live;
    private final AuditLog audit;
    private final Clock clock;

    ChatService(ChatMessageRepository messages, SessionService sessions, LiveSessions live, AuditLog audit, Clock clock) {
        this.messages = messages;
        this.sessions = sessions;
        this.live = live;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Posts a line from {@code author} to an open session.
     *
     * @throws ChatRefusedException empty, over {@value ChatText#MAX_CHARS} characters as shown
     *                              (control characters take two), or the session is closed
     */
    public ChatLine post(String sessionId, String author, String text) {
        if (text == null || text.isBlank()) {
            throw new ChatRefusedException("empty chat line: nothing sent");
        }
        if (sessions.find(sessionId).filter(session -> session.getState().isOpen()).isEmpty()) {
            throw new ChatRefusedException("the session is closed: nothing sent");
        }
        String clean = ChatText.neutralise(text);
        int length = clean.codePointCount(0, clean.length());
        if (length > ChatText.MAX_CHARS) {
            audit.record(AuditEntry.of(AuditEventType.CHAT_REFUSED, author).session(sessionId).reason("too-long")
                    .details(length + " characters"));
            throw new ChatRefusedException("chat line too long (" + length + " characters; at most "
                    + ChatText.MAX_CHARS + "): nothing sent, split it up");
        }
        ChatLine line = messages.save(new ChatMessage(sessionId, author, clock.instant(), clean)).toLine();
        live.find(sessionId).ifPresent(session -> session.chat(line));
        return line;
    }

    /** The last {@code count} lines of a session, oldest first. */
    public List<ChatLine> recent(String sessionId, int count) {
        List<ChatLine> lines = new ArrayList<>();
        messages.findBySessionIdOrderByIdDesc(sessionId, Limit.of(count)).forEach(m -> lines.add(m.toLine()));
        Collections.reverse(lines);
        return lines;
    }
}
