package com.linbit.tunl.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Optional;
import java.util.UUID;

import com.linbit.tunl.client.RelaySsh;
import com.linbit.tunl.client.RelayTrust;
import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.ProtocolException;

/**
 * One run of the agent: check what this machine offers, connect and claim the session, then share
 * the shell ({@link SharedShell}) or, in tunnel mode without a usable tmux, only the tunnel
 * ({@link TunnelOnlySession}).
 */
final class AgentSession {

    private final AgentOptions options;
    private final StateDirectory state;
    private final PrintStream out;
    private final PrintStream err;

    AgentSession(AgentOptions options, StateDirectory state, PrintStream out, PrintStream err) {
        this.options = options;
        this.state = state;
        this.out = out;
        this.err = err;
    }

    int run() throws IOException {
        try (SessionLiveness alive = SessionLiveness.hold(state.runtime(), options.sessionId())) {
            return runMarked();
        }
    }

    private int runMarked() throws IOException {
        RelayTrust trust = RelayTrust.load(options.relayCaFiles());
        if (trust.isEmpty()) {
            err.println("linbit-tunl: no relay CA key is pinned, so the relay cannot be verified.");
            err.println("Pass the relay's CA keys with --relay-ca FILE (support sends them; the relay publishes them at /ca.pub).");
            return 3;
        }
        // tmux is asked once, before anything is connected or started: below the floor, say so and stop.
        Optional<TmuxVersion> tmux = TmuxVersion.installed();
        boolean canShare = tmux.map(TmuxVersion::canShare).orElse(false);
        if (!canShare && options.mode() != AgentOptions.Mode.TUNNEL) {
            err.println("linbit-tunl: " + tmux.map(found -> found + " is too old to share this shell (" + options.mode().wireName()
                            + " mode needs tmux " + TmuxVersion.FLOOR.shown() + " or newer)")
                    .orElse("tmux is not installed, and " + options.mode().wireName() + " mode needs it to share this shell")
                    + "; install tmux " + TmuxVersion.FLOOR.shown() + " or newer, or ask support whether --tunnel fits, which needs no tmux.");
            return 4;
        }
        KeyPair key;
        try {
            key = SessionKey.loadOrCreate(state.keyFile(options.sessionId()), options.sessionId());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read or create this session's key: " + e.getMessage(), e);
        }
        RelayConnection relay;
        try {
            relay = RelayConnection.open(
                    () -> RelayLink.open(options.relayHost(), options.relayPort(), options.sessionId(), key, trust, options.proxy()),
                    options.mode().wireName(), LocalMachine.hostname(), Main.version(), runId(),
                    options.reconnectFor(), options.bufferBytes());
        } catch (RelaySsh.RelayUnverifiedException e) {
            err.println("linbit-tunl: the relay at " + options.relayHost() + ":" + options.relayPort()
                    + " could not be verified: " + e.getMessage() + ".");
            err.println("Someone may be intercepting the connection. Nothing was sent; the session was not started.");
            return 3;
        } catch (RelayConnection.RefusedException e) {
            err.println("linbit-tunl: " + e.getMessage());
            return 1;
        } catch (ProtocolException e) {
            err.println("linbit-tunl: the relay answered unexpectedly (" + e.getMessage() + "); please try again or tell support");
            return 1;
        } catch (IOException e) {
            err.println("linbit-tunl: cannot connect to the relay at " + options.relayHost() + ":" + options.relayPort()
                    + ": " + e.getMessage());
            return 5;
        }
        try (relay) {
            Frame.Welcome welcome = relay.welcome();
            StatusLine status = new StatusLine(options.mode(), options.sessionId());
            status.caseNumber(welcome.caseNumber());
            status.viewers(welcome.viewers());
            sweepStaleKeys(options.sessionId());
            if (!canShare) {
                String why = tmux.map(found -> found + " is older than " + TmuxVersion.FLOOR.shown())
                        .orElse("tmux is not installed");
                return new TunnelOnlySession(options, out, new AuthorizedKeys(state.folders()), why)
                        .run(relay, welcome, System.in);
            }
            Path runtime = state.runtime();
            try (RunFolder folder = RunFolder.create(state, options.sessionId(), other -> SessionLiveness.running(runtime, other))) {
                return new SharedShell(options, state, out, relay, status, tmux.get(), folder.path()).run();
            }
        }
    }

    /** Names this run of the agent; the relay tells a reconnect of it from a new run. */
    private static String runId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Support keys left by sessions whose agent is gone (killed, machine rebooted) come out now;
     * this session's own too, since nothing is granted at the start of a run.
     */
    private void sweepStaleKeys(String id) {
        AuthorizedKeys keys = new AuthorizedKeys(state.folders());
        try {
            Path runtime = state.runtime();
            int removed = keys.sweepStale(
                    other -> !other.equals(id) && (Tmux.sessionRunning(other) || SessionLiveness.running(runtime, other)));
            if (removed > 0) {
                out.println("Removed " + removed + " leftover support key(s) of earlier sessions from " + keys.file() + ".");
            }
        } catch (IOException e) {
            err.println("linbit-tunl: could not check " + keys.file() + " for leftover support keys: " + e.getMessage());
        }
    }
}
