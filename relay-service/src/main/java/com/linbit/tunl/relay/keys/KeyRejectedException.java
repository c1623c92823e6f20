package com.linbit.tunl.relay.keys;

/** A public key the relay will not register; the message says why and what to do instead. */
public class KeyRejectedException extends RuntimeException {

    public KeyRejectedException(String message) {
        super(message);
    }
}
