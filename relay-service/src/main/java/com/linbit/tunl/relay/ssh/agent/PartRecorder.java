package com.linbit.tunl.relay.ssh.agent;

import com.linbit.tunl.relay.live.LiveSession;
import com.linbit.tunl.relay.recording.Recordings;
import com.linbit.tunl.relay.recording.SessionRecording;
import com.linbit.tunl.relay.session.SupportSession;

/**
 * This agent connection's part of the session recording, started with the first size or output
 * (the agent sends its size first), so the header carries the real terminal size. A gap the agent
 * reports becomes a marker event.
 */
final class PartRecorder implements AutoCloseable {

    private final Recordings recordings;
    private final SupportSession session;
    private final LiveSession live;
    private SessionRecording part;
    private boolean unavailable;

    PartRecorder(Recordings recordings, SupportSession session, LiveSession live) {
        this.recordings = recordings;
        this.session = session;
        this.live = live;
    }

    /** Output before any size on this connection (a resumed run resending) starts at the last size known. */
    void output(byte[] data) {
        SessionRecording recording = part(live.columns(), live.rows());
        if (recording != null) {
            recording.output(data);
        }
    }

    void resize(int columns, int rows) {
        if (part == null) {
            part(columns, rows);
        } else {
            part.resize(columns, rows);
        }
    }

    void gap(long bytes) {
        SessionRecording recording = part(live.columns(), live.rows());
        if (recording != null) {
            recording.marker("gap: " + bytes + " bytes of output lost while the customer was reconnecting");
        }
    }

    private SessionRecording part(int columns, int rows) {
        if (part == null && !unavailable) {
            part = recordings.startPart(session.getId(), session.getCaseNumber(), session.getCreatedAt(), columns, rows);
            unavailable = part == null;
        }
        return part;
    }

    @Override
    public void close() {
        if (part != null) {
            part.close();
        }
    }
}
