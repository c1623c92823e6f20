package com.linbit.tunl.shell.relay;

/** A failure whose exit status means something to scripts (a remote command's, "still pending"). */
public final class ExitStatusException extends RelayException {

    private final int exitStatus;

    public ExitStatusException(int exitStatus, String message) {
        super(message);
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }
}
