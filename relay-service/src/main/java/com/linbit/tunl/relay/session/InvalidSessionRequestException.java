package com.linbit.tunl.relay.session;

/** A session request with values the relay does not accept; the message says which. */
public class InvalidSessionRequestException extends RuntimeException {

    public InvalidSessionRequestException(String message) {
        super(message);
    }
}
