package com.linbit.tunl.relay.ssh.command;

import java.util.Set;
import java.util.concurrent.Executor;

import com.linbit.tunl.relay.live.LiveSession;
import com.linbit.tunl.relay.live.LiveSessions;
import com.linbit.tunl.relay.session.SessionMode;
import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.session.SupportSession;
import com.linbit.tunl.relay.ssh.SshSessions;
import com.linbit.tunl.relay.tunnel.TunnelRefusedException;
import com.linbit.tunl.relay.tunnel.TunnelService;
import com.linbit.tunl.relay.tunnel.TunnelState;

/**
 * {@code request-tunnel <id> [--no-wait]}: asks the customer for a reverse SSH tunnel and, unless
 * told not to, waits for the answer: exit 0 when granted, 1 when denied or refused, 3 when the
 * customer has not answered yet.
 */
final class RequestTunnelCommand extends SupportCommand {

    static final String USAGE = "request-tunnel <session-id> [--no-wait]";
    static final int EXIT_STILL_PENDING = 3;

    private final SessionService sessions;
    private final LiveSessions live;
    private final TunnelService tunnels;

    RequestTunnelCommand(Executor executor, SessionService sessions, LiveSessions live, TunnelService tunnels) {
        super(executor);
        this.sessions = sessions;
        this.live = live;
        this.tunnels = tunnels;
    }

    @Override
    String name() {
        return "request-tunnel";
    }

    @Override
    int run(Invocation invocation) throws Exception {
        Arguments args = Arguments.parse(name(), invocation.words(), Set.of(), Set.of("no-wait"));
        args.expectPositional(name(), 1, 1, USAGE);
        SupportSession session = OpenSessions.require(sessions, args.positional().get(0));
        String id = session.getId();
        SessionMode mode = live.find(id).map(LiveSession::mode).orElse(session.getMode());
        String address = SshSessions.sourceAddress(invocation.channel().getSession());
        TunnelService.Requested requested;
        try {
            requested = tunnels.request(id, invocation.user(), mode, address);
        } catch (TunnelRefusedException e) {
            throw new UsageException(e.getMessage());
        }
        if (requested == TunnelService.Requested.GRANTED) {
            invocation.println("granted: the tunnel for " + id + " is open (" + tunnels.state(id).wireName() + ")");
            return 0;
        }
        invocation.println("pending: the customer is asked to grant (Ctrl-b G) or deny (Ctrl-b D)");
        invocation.out().flush();
        if (args.flag("no-wait")) {
            return 0;
        }
        TunnelState decided = tunnels.awaitDecision(id, tunnels.decisionWait());
        return switch (decided) {
            case GRANTED, OPEN -> {
                invocation.println("granted: reach the customer's sshd with ssh -J " + invocation.user() + "@RELAY root@" + id);
                yield 0;
            }
            case DENIED -> throw new UsageException("the customer denied the tunnel for " + id);
            case REQUESTED -> {
                invocation.println("still pending: the customer has not answered yet; check again with request-tunnel " + id);
                yield EXIT_STILL_PENDING;
            }
            case NONE -> throw new UsageException("the customer's agent went away before answering; ask again when it is back");
            default -> throw new UsageException("no tunnel for " + id + " (" + decided.wireName() + ")");
        };
    }
}
