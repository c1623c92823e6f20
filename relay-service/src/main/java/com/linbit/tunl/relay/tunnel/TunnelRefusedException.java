package com.linbit.tunl.relay.tunnel;

/** A tunnel request that cannot be made, with the reason for the engineer. */
public class TunnelRefusedException extends RuntimeException {

    public TunnelRefusedException(String message) {
        super(message);
    }
}
