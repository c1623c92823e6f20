package com.linbit.tunl.relay.ssh.command;

/**
 * A mistake the user can fix: it reaches them as {@code fatal: <message>} with a non-zero exit
 * status and is not logged as a relay error.
 */
public class UsageException extends Exception {

    private final int exitStatus;
    private final String reason;

    public UsageException(String message) {
        this(message, 1);
    }

    public UsageException(String message, int exitStatus) {
        this(message, exitStatus, "invalid-request");
    }

    /** @param reason the audit log's reason code for this refusal, e.g. {@code unknown-session} */
    public UsageException(String message, int exitStatus, String reason) {
        super(message, null, false, false);
        this.exitStatus = exitStatus;
        this.reason = reason;
    }

    String reason() {
        return reason;
    }

    int exitStatus() {
        return exitStatus;
    }
}
