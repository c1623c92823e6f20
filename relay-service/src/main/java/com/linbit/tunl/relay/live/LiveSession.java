package com.linbit.tunl.relay.live;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import com.linbit.tunl.relay.chat.ChatLine;
import com.linbit.tunl.relay.session.SessionMode;

/**
 * A session while people are connected to it: the customer agent's link (absent while it
 * reconnects) and the engineers watching. Output fans out to viewers without ever waiting on one.
 */
public final class LiveSession {

    private final String id;
    private final Set<Viewer> viewers = new CopyOnWriteArraySet<>();
    private volatile AgentLink agent;
    private volatile SessionMode mode;
    private volatile String caseNumber;
    private volatile int columns = 80;
    private volatile int rows = 24;
    private volatile boolean ended;

    LiveSession(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public SessionMode mode() {
        return mode;
    }

    public String caseNumber() {
        return caseNumber;
    }

    public boolean isEnded() {
        return ended;
    }

    public boolean agentConnected() {
        return agent != null;
    }

    public int columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    /** A (new) agent connection took over; an older one still open is dropped. */
    public void agentConnected(AgentLink link, SessionMode mode, String caseNumber) {
        AgentLink previous = this.agent;
        this.mode = mode;
        this.caseNumber = caseNumber;
        this.agent = link;
        if (previous != null && previous != link) {
            previous.disconnect("a newer connection for this session took over");
        }
        link.viewers(watcherCount());
        viewers.forEach(viewer -> viewer.notice("customer connected"));
        if (viewers.stream().anyMatch(Viewer::watchesTerminal)) {
            link.requestSnapshot();
        }
    }

    /** The agent link closed; viewers stay and wait for it to come back. */
    public void agentDisconnected(AgentLink link) {
        if (agent == link) {
            agent = null;
            if (!ended) {
                viewers.forEach(viewer -> viewer.notice("customer reconnecting"));
            }
        }
    }

    public void output(byte[] data) {
        boolean resync = false;
        for (Viewer viewer : viewers) {
            if (viewer.watchesTerminal() && !viewer.offerOutput(data)) {
                resync = true;
            }
        }
        if (resync) {
            requestSnapshot();
        }
    }

    public void snapshot(int columns, int rows, byte[] repaint) {
        this.columns = columns;
        this.rows = rows;
        for (Viewer viewer : viewers) {
            if (viewer.watchesTerminal() && viewer.isAwaitingSnapshot()) {
                viewer.offerSnapshot(repaint);
            }
        }
    }

    public void resized(int columns, int rows) {
        this.columns = columns;
        this.rows = rows;
        viewers.forEach(viewer -> viewer.resized(columns, rows));
    }

    /**
     * Keystrokes from an engineer. Returns false when the mode does not let support type, so the
     * caller can tell the engineer; nothing is sent then.
     */
    public boolean input(Viewer from, byte[] keys) {
        SessionMode current = mode;
        if (current == null || !current.allowsInput()) {
            return false;
        }
        AgentLink link = agent;
        if (link != null) {
            link.input(from.engineer(), keys);
        }
        return true;
    }

    public void chat(ChatLine line) {
        AgentLink link = agent;
        if (link != null) {
            link.chat(line);
        }
        viewers.forEach(viewer -> viewer.chat(line));
    }

    public void attach(Viewer viewer) {
        viewers.add(viewer);
        if (ended) {
            viewer.ended("session ended");
            return;
        }
        AgentLink link = agent;
        if (viewer.watchesTerminal()) {
            announce(viewer.engineer() + " joined");
            if (link != null) {
                link.viewers(watcherCount());
                link.requestSnapshot();
            }
        }
    }

    public void detach(Viewer viewer) {
        if (viewers.remove(viewer) && viewer.watchesTerminal() && !ended) {
            announce(viewer.engineer() + " left");
            AgentLink link = agent;
            if (link != null) {
                link.viewers(watcherCount());
            }
        }
        viewer.close();
    }

    /** Ends the live side: every viewer is told {@code message}, the agent link is told why. */
    public void end(String reason, String message) {
        ended = true;
        AgentLink link = agent;
        if (link != null) {
            link.ended(reason);
        }
        viewers.forEach(viewer -> viewer.ended(message));
    }

    public int watcherCount() {
        return (int) viewers.stream().filter(Viewer::watchesTerminal).count();
    }

    private void announce(String text) {
        AgentLink link = agent;
        if (link != null) {
            link.notice(text);
        }
        viewers.forEach(viewer -> viewer.notice(text));
    }

    private void requestSnapshot() {
        AgentLink link = agent;
        if (link != null) {
            link.requestSnapshot();
        }
    }
}
