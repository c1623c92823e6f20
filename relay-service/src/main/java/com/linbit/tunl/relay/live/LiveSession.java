package com.linbit.tunl.relay.live;

import java.time.Instant;
import java.util.List;
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
    private volatile boolean ended;
    private String agentRun = "";
    private long received;
    private volatile long lastActivity = System.nanoTime();
    private int idleWarningsGiven;
    private volatile int columns = 80;
    private volatile int rows = 24;

    private final Traffic traffic;

    LiveSession(String id, Traffic traffic) {
        this.id = id;
        this.traffic = traffic;
    }

    public String id() {
        return id;
    }

    public SessionMode mode() {
        return mode;
    }

    public boolean isEnded() {
        return ended;
    }

    public boolean agentConnected() {
        return agent != null;
    }

    /**
     * Where an agent connection picks up: for a reconnect of the run the relay already knows, the
     * last frame it handled; for a new run (or after a relay restart), just before the oldest
     * frame the agent still holds. Returns the sequence number of the last frame already handled.
     */
    public synchronized long resume(String runId, long resumeFrom) {
        long before = Math.max(0, resumeFrom - 1);
        if (runId.isEmpty() || !runId.equals(agentRun)) {
            agentRun = runId;
            received = before;
        } else {
            received = Math.max(received, before);
        }
        return received;
    }

    /** Whether an agent saying {@code runId} is another run than the one this relay last knew here. */
    public synchronized boolean replacesRun(String runId) {
        return !agentRun.isEmpty() && !agentRun.equals(runId);
    }

    /** Whether {@code link} is still the session's agent connection (not replaced by a newer one). */
    public boolean isCurrent(AgentLink link) {
        return agent == link;
    }

    /** Frame {@code sequence} of the current agent run has been handled. */
    public synchronized void handled(AgentLink link, long sequence) {
        if (link == agent) {
            received = Math.max(received, sequence);
        }
    }

    /** How long nobody typed and the shell printed nothing; watching does not count. */
    public java.time.Duration idle() {
        return java.time.Duration.ofNanos(System.nanoTime() - lastActivity);
    }

    /**
     * Whether the idle warning number {@code warning} (0 for the first) is still to be given in
     * this quiet stretch; true once, then false until there was activity again.
     */
    public synchronized boolean idleWarningDue(int warning) {
        if (warning < idleWarningsGiven) {
            return false;
        }
        idleWarningsGiven = warning + 1;
        return true;
    }

    private void active() {
        lastActivity = System.nanoTime();
        if (idleWarningsGiven > 0) {
            synchronized (this) {
                idleWarningsGiven = 0;
            }
        }
    }

    /** The customer's terminal size as last reported; a new recording part starts with it. */
    public void terminalSize(int columns, int rows) {
        this.columns = columns;
        this.rows = rows;
    }

    public int columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    /** A (new) agent connection took over; an older one still open is dropped. */
    public synchronized void agentConnected(AgentLink link, SessionMode mode) {
        if (ended) {
            link.ended("session ended");
            return;
        }
        AgentLink previous = this.agent;
        this.mode = mode;
        this.agent = link;
        if (previous != null && previous != link) {
            previous.disconnect("a newer connection for this session took over");
        }
        link.viewers(watcherCount());
        viewers.forEach(viewer -> viewer.notice("customer connected"));
        viewers.forEach(Viewer::presenceChanged);
        // The screen may be another one now (a new agent, a new tmux): everyone repaints.
        viewers.stream().filter(Viewer::watchesTerminal).forEach(Viewer::awaitSnapshot);
        if (viewers.stream().anyMatch(Viewer::watchesTerminal)) {
            link.requestSnapshot();
        }
    }

    /**
     * The agent link closed; viewers stay and wait for it to come back. Returns false when the
     * link had already been replaced by a newer one.
     */
    public synchronized boolean agentDisconnected(AgentLink link) {
        if (agent != link) {
            return false;
        }
        agent = null;
        if (!ended) {
            viewers.forEach(viewer -> viewer.notice("customer reconnecting"));
            viewers.forEach(Viewer::presenceChanged);
        }
        return true;
    }

    public void output(byte[] data) {
        active();
        boolean resync = false;
        int watching = 0;
        for (Viewer viewer : viewers) {
            if (viewer.watchesTerminal()) {
                watching++;
                if (!viewer.offerOutput(data)) {
                    resync = true;
                }
            }
        }
        traffic.customerOutput(data.length, watching);
        if (resync) {
            requestSnapshot();
        }
    }

    public void snapshot(byte[] repaint) {
        for (Viewer viewer : viewers) {
            if (viewer.watchesTerminal() && viewer.isAwaitingSnapshot()) {
                viewer.offerSnapshot(repaint);
            }
        }
    }

    /** Keystrokes from an engineer, sent only when the customer is connected in a mode that allows it. */
    public InputResult input(Viewer from, byte[] keys) {
        AgentLink link = agent;
        SessionMode current = mode;
        if (link == null || current == null) {
            return InputResult.NOT_CONNECTED;
        }
        if (!current.allowsInput()) {
            return InputResult.RESTRICTED;
        }
        link.input(from.engineer(), keys);
        traffic.engineerInput(keys.length);
        active();
        return InputResult.SENT;
    }

    /** What became of an engineer's keystrokes. */
    public enum InputResult {
        SENT, RESTRICTED, NOT_CONNECTED
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
            viewers.forEach(Viewer::presenceChanged);
        }
    }

    public void detach(Viewer viewer) {
        if (viewers.remove(viewer) && viewer.watchesTerminal() && !ended) {
            announce(viewer.engineer() + " left");
            AgentLink link = agent;
            if (link != null) {
                link.viewers(watcherCount());
            }
            viewers.forEach(Viewer::presenceChanged);
        }
        viewer.close();
    }

    /** Ends the live side: every viewer is told {@code message}, the agent link is told why. */
    public synchronized void end(String reason, String message) {
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

    /**
     * Asks the customer's agent for a tunnel for {@code engineer}, whose keys it installs on grant;
     * false when no agent is connected to ask.
     */
    public boolean requestTunnel(String engineer, List<String> publicKeys, Instant expiresAt) {
        AgentLink link = agent;
        if (link == null) {
            return false;
        }
        link.tunnelRequested(engineer, publicKeys, expiresAt);
        // The agent shows its own Grant/Deny prompt; the engineers are told here.
        viewers.forEach(viewer -> viewer.notice(engineer + " requests a reverse SSH tunnel; waiting for the customer"));
        return true;
    }

    /** A line for every viewer only, e.g. what the customer's agent could not do (it showed the customer itself). */
    public void tellEngineers(String text) {
        viewers.forEach(viewer -> viewer.notice(text));
    }

    /** A line for the customer's chat pane and every viewer, written by nobody. */
    public void announce(String text) {
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
