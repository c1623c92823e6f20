package com.linbit.tunl.relay.keys;

/** An engineer or key named in a request does not exist. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
