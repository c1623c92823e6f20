package com.linbit.tunl.relay.live;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.linbit.tunl.relay.session.SessionEnded;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Every session someone is connected to on this relay. */
@Component
public class LiveSessions {

    private static final int REMEMBERED_ENDINGS = 10_000;

    private final Map<String, LiveSession> live = new ConcurrentHashMap<>();
    private final Traffic traffic = new Traffic();
    /** Recently ended sessions, so a join or agent racing the end finds it ended, not fresh. */
    private final Map<String, SessionEnded> endings = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, SessionEnded> eldest) {
                    return size() > REMEMBERED_ENDINGS;
                }
            });

    public LiveSession open(String id) {
        LiveSession session = live.computeIfAbsent(id, key -> new LiveSession(key, traffic));
        SessionEnded ended = endings.get(id);
        if (ended != null) {
            live.remove(id, session);
            session.end(ended.reason(), ended.message());
        }
        return session;
    }

    public Traffic traffic() {
        return traffic;
    }

    /** Engineers watching a shared shell on this relay right now. */
    public int viewers() {
        return live.values().stream().mapToInt(LiveSession::watcherCount).sum();
    }

    public java.util.Collection<LiveSession> all() {
        return live.values();
    }

    public Optional<LiveSession> find(String id) {
        return Optional.ofNullable(live.get(id));
    }

    /** However a session ends, everyone attached to it here hears why and leaves. */
    @EventListener
    void onSessionEnded(SessionEnded ended) {
        endings.put(ended.sessionId(), ended);
        LiveSession session = live.remove(ended.sessionId());
        if (session != null) {
            session.end(ended.reason(), ended.message());
        }
    }
}
