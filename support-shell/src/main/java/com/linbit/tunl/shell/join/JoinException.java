package com.linbit.tunl.shell.join;

/** A join that cannot start or go on, with a message the engineer can act on. */
public final class JoinException extends RuntimeException {

    public JoinException(String message) {
        super(message);
    }
}
