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

    private final Map<String, LiveSession> live = new ConcurrentHashMap<>();

    public LiveSession open(String id) {
        return live.computeIfAbsent(id, LiveSession::new);
    }

    public Optional<LiveSession> find(String id) {
        return Optional.ofNullable(live.get(id));
    }

    public int count() {
        return live.size();
    }

    /** However a session ends, everyone attached to it here hears why and leaves. */
    @EventListener
    void onSessionEnded(SessionEnded ended) {
        LiveSession session = live.remove(ended.sessionId());
        if (session != null) {
            session.end(ended.reason(), ended.message());
        }
    }
}
