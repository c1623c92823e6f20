package com.linbit.tunl.agent;

import java.util.Locale;

/**
 * The chat pane's top row: mode, session, relay connection, viewers, case and the keys, e.g.
 * {@code [LINBIT SHARE] swift-fox-jumps-barrel  relay connected  1v  case 4711   Ctrl-b o: …}.
 * Every change is shown at once.
 */
final class StatusLine {

    private final String mode;
    private final String sessionId;
    private ChatPaneServer pane;
    private String connection = "relay connected";
    private int viewers;
    private String caseNumber = "";

    StatusLine(AgentOptions.Mode mode, String sessionId) {
        this.mode = mode.name().toUpperCase(Locale.ROOT);
        this.sessionId = sessionId;
    }

    synchronized void showOn(ChatPaneServer pane) {
        this.pane = pane;
        show();
    }

    synchronized void caseNumber(String caseNumber) {
        this.caseNumber = caseNumber == null ? "" : caseNumber;
        show();
    }

    synchronized void viewers(int viewers) {
        this.viewers = viewers;
        show();
    }

    synchronized void connection(String connection) {
        this.connection = connection;
        show();
    }

    synchronized String render() {
        return "[LINBIT " + mode + "] " + sessionId + "  " + connection + "  " + viewers + "v"
                + (caseNumber.isEmpty() ? "" : "  case " + caseNumber) + "   Ctrl-b o: chat/shell  Ctrl-b Q: end";
    }

    private void show() {
        if (pane != null) {
            pane.status(render());
        }
    }
}
