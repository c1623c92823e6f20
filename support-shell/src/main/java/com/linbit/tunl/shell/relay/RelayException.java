package com.linbit.tunl.shell.relay;

/** Talking to the relay failed; the message says what the engineer can do about it. */
public class RelayException extends RuntimeException {

    public RelayException(String message) {
        super(message);
    }
}
