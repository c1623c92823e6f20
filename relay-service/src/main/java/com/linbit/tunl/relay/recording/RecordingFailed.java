package com.linbit.tunl.relay.recording;

/** A session's recording could not be written; what happens next is {@code tunl.recording.on-failure}. */
public record RecordingFailed(String sessionId, String reason) {
}
