package com.linbit.tunl.relay.accounts;

/** A user account request the relay refuses; the message says why. */
public class AccountRejectedException extends RuntimeException {

    private final boolean conflict;

    AccountRejectedException(String message, boolean conflict) {
        super(message);
        this.conflict = conflict;
    }

    /** True when the account already exists, as opposed to invalid input. */
    public boolean isConflict() {
        return conflict;
    }
}
