package com.linbit.tunl.relay.ssh.agent;

import com.linbit.tunl.relay.recording.Recordings;
import com.linbit.tunl.relay.recording.SessionRecording;
import com.linbit.tunl.relay.session.SupportSession;

/**
 * This agent connection's part of the session recording, started with the first size or output
 * (the agent sends its size first), so the header carries the real terminal size.
 */
final class PartRecorder implements AutoCloseable {

    private static final int DEFAULT_COLUMNS = 80;
    private static final int DEFAULT_ROWS = 24;

    private final Recordings recordings;
    private final SupportSession session;
    private SessionRecording part;
    private boolean unavailable;

    PartRecorder(Recordings recordings, SupportSession session) {
        this.recordings = recordings;
        this.session = session;
    }

    void output(byte[] data) {
        SessionRecording recording = part(DEFAULT_COLUMNS, DEFAULT_ROWS);
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
