package com.linbit.tunl.relay.keys;

/** The key is already registered (to this or another engineer) and not revoked. */
public class DuplicateKeyException extends RuntimeException {

    public DuplicateKeyException(String fingerprint) {
        super("key " + fingerprint + " is already registered; revoke it first to register it again");
    }
}
