package com.linbit.tunl.relay.api;

/** A request the API cannot act on; the message tells the caller what to send instead. */
class BadRequestException extends RuntimeException {

    BadRequestException(String message) {
        super(message);
    }
}
