package com.linbit.tunl.relay.chat;

/** A chat line the relay will not take; the message says why. */
public class ChatRefusedException extends RuntimeException {

    ChatRefusedException(String message) {
        super(message);
    }
}
