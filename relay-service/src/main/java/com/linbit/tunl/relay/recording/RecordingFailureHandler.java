package com.linbit.tunl.relay.recording;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.live.LiveSessions;
import com.linbit.tunl.relay.session.SessionService;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Every session is recorded, or everyone knows it is not: by default the session ends with the
 * reason; with {@code tunl.recording.on-failure=continue} it goes on and everyone is warned.
 */
@Component
class RecordingFailureHandler {

    private final RecordingProperties properties;
    private final SessionService sessions;
    private final LiveSessions live;
    private final AuditLog audit;

    RecordingFailureHandler(RecordingProperties properties, SessionService sessions, LiveSessions live, AuditLog audit) {
        this.properties = properties;
        this.sessions = sessions;
        this.live = live;
        this.audit = audit;
    }

    @EventListener
    void recordingFailed(RecordingFailed failed) {
        audit.recordLater(AuditEntry.of(AuditEventType.RECORDING_FAILED, "relay").session(failed.sessionId())
                .reason(properties.onFailure().name().toLowerCase(java.util.Locale.ROOT)).details(failed.reason()));
        if (properties.onFailure() == RecordingProperties.OnFailure.END) {
            sessions.close(failed.sessionId(), "recording-failed", "relay");
        } else {
            live.find(failed.sessionId()).ifPresent(session -> session.announce(
                    "warning: this session is no longer recorded on the relay (" + failed.reason() + ")"));
        }
    }
}
