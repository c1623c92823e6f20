package com.linbit.tunl.relay.ssh.agent;

import com.linbit.tunl.relay.live.AgentLink;
import com.linbit.tunl.relay.live.LiveSession;

/**
 * Counts the frames of one agent connection on from where the agent run resumed, so the relay can
 * acknowledge what it handled and a reconnecting agent resends exactly what did not arrive.
 */
final class Sequence {

    private final LiveSession session;
    private final AgentLink link;
    private long handled;
    private long acknowledged;

    Sequence(LiveSession session, AgentLink link, long alreadyHandled) {
        this.session = session;
        this.link = link;
        this.handled = alreadyHandled;
        this.acknowledged = alreadyHandled;
    }

    LiveSession session() {
        return session;
    }

    /** A connection a newer one replaced stops handling frames; the agent sends them again there. */
    boolean stillCurrent() {
        return session.isCurrent(link);
    }

    void handled() {
        handled++;
        session.handled(link, handled);
    }

    long unacknowledged() {
        return handled - acknowledged;
    }

    long acknowledge() {
        acknowledged = handled;
        return handled;
    }
}
