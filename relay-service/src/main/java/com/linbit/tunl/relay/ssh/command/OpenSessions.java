package com.linbit.tunl.relay.ssh.command;

import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.session.SupportSession;
import com.linbit.tunl.relay.ssh.SshSessions;

/** The one way commands look up a session an engineer named. */
final class OpenSessions {

    private OpenSessions() {
    }

    static SupportSession require(SessionService sessions, String id) throws UsageException {
        return sessions.find(id)
                .filter(session -> session.getState().isOpen())
                .orElseThrow(() -> new UsageException("no open session " + SshSessions.printableUser(id)
                        + " (unknown, or closed already); see 'sessions'", 1, "unknown-session"));
    }
}
