package com.linbit.tunl.protocol;

/** A frame that breaks docs/protocol.md; the message says how, for the peer and the audit log. */
public class ProtocolException extends Exception {

    public ProtocolException(String message) {
        super(message);
    }
}
