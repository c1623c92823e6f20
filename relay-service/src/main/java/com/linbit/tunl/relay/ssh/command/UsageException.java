package com.linbit.tunl.relay.ssh.command;

/**
 * A mistake the user can fix: it reaches them as {@code fatal: <message>} with a non-zero exit
 * status and is not logged as a relay error.
 */
public class UsageException extends Exception {

    private final int exitStatus;

    public UsageException(String message) {
        this(message, 1);
    }

    public UsageException(String message, int exitStatus) {
        super(message, null, false, false);
        this.exitStatus = exitStatus;
    }

    int exitStatus() {
        return exitStatus;
    }
}
