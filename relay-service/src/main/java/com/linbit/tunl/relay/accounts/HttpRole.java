package com.linbit.tunl.relay.accounts;

/** What an HTTP user may do: admins manage, auditors read. */
public enum HttpRole {
    ADMIN,
    AUDITOR
}
