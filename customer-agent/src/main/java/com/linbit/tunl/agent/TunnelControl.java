package com.linbit.tunl.agent;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.linbit.tunl.protocol.Frame;

/**
 * The customer's side of the tunnel: shows a request, and on the customer's Grant installs the
 * engineer's keys and registers the reverse forward; Deny only answers; Revoke and the session's
 * end take both back. In tunnel mode a request is granted without asking: the customer chose the
 * tunnel when starting the agent.
 */
final class TunnelControl {

    private static final Logger log = Logger.getLogger(TunnelControl.class.getName());
    private static final int FORWARD_ATTEMPTS = 10;
    private static final long FORWARD_RETRY_MILLIS = 300;
    /** 9999-12-31: sshd's expiry-time has four year digits. */
    private static final long LATEST_EXPIRY = 253_402_214_400L;

    private final AgentOptions options;
    private final RelayConnection relay;
    private final AuthorizedKeys authorizedKeys;
    private final Consumer<String> say;
    private final String howToClose;
    private Frame.TunnelRequest pending;
    private String granted;
    private boolean forwarding;

    /** @param howToClose how the customer closes an open tunnel here, e.g. "Ctrl-b R revokes" */
    TunnelControl(AgentOptions options, RelayConnection relay, AuthorizedKeys authorizedKeys, Consumer<String> say,
                  String howToClose) {
        this.howToClose = howToClose;
        this.options = options;
        this.relay = relay;
        this.authorizedKeys = authorizedKeys;
        this.say = say;
    }

    synchronized void requested(Frame.TunnelRequest request) {
        long expires = request.expiresAtEpochSeconds();
        if (expires <= Instant.now().getEpochSecond() || expires > LATEST_EXPIRY) {
            say.accept(request.engineer() + "'s tunnel request has an impossible expiry; ignored");
            answer("denied", request.engineer());
            return;
        }
        pending = request;
        if (options.mode() == AgentOptions.Mode.TUNNEL) {
            // Granting waits for the relay; the frame reader that called us must not.
            Thread granting = new Thread(this::grant, "tunl-grant");
            granting.setDaemon(true);
            granting.start();
            return;
        }
        say.accept(request.engineer() + " requests a reverse SSH tunnel \u2014 Ctrl-b G grant \u00b7 Ctrl-b D deny");
    }

    /** Ctrl-b G. */
    synchronized void grant() {
        if (pending == null) {
            say.accept("no tunnel request to grant");
            return;
        }
        Frame.TunnelRequest request = pending;
        pending = null;
        List<String> keys = Arrays.stream(request.publicKeys().split("\n")).filter(line -> !line.isBlank()).toList();
        // The key line in the form this machine's sshd reads: an older sshd rejects a line it cannot.
        Optional<String> sshd = KeyExpiry.banner(options.sshPort());
        try {
            authorizedKeys.install(options.sessionId(), request.engineer(), keys,
                    Instant.ofEpochSecond(request.expiresAtEpochSeconds()), KeyExpiry.forBanner(sshd, SystemTimeZone.read()));
        } catch (IOException | IllegalArgumentException e) {
            say.accept("could not install " + request.engineer() + "'s key (" + e.getMessage() + "); tunnel not granted");
            answer("denied", request.engineer());
            return;
        }
        granted = request.engineer();
        answer("granted", request.engineer());
        if (openForward()) {
            say.accept("tunnel open: " + granted + " can log in to this machine's sshd (port " + options.sshPort()
                    + ") with their key \u2014 " + howToClose);
            if (sshd.isEmpty()) {
                say.accept("no sshd answers on port " + options.sshPort() + " of this machine: " + granted
                        + " can log in once one runs there");
            }
        } else {
            say.accept("the relay did not accept the tunnel; " + granted + "'s key is removed again");
            revoke();
        }
    }

    /** Ctrl-b D. */
    synchronized void deny() {
        if (pending == null) {
            say.accept("no tunnel request to deny");
            return;
        }
        answer("denied", pending.engineer());
        say.accept("you denied " + pending.engineer() + "'s tunnel request");
        pending = null;
    }

    /** Ctrl-b R. */
    synchronized void revoke() {
        if (granted == null) {
            say.accept("no tunnel to revoke");
            return;
        }
        String engineer = granted;
        takeBack();
        answer("revoked", engineer);
        say.accept("tunnel revoked: " + engineer + "'s key is removed and the forward closed");
    }

    /**
     * The relay connection dropped: the forward went with it, but the grant and its key stay while
     * the agent reconnects (the key alone opens nothing without the relay's tunnel).
     */
    synchronized void suspend() {
        pending = null;
        if (granted != null && forwarding) {
            forwarding = false;
            say.accept("the tunnel waits for the relay connection; " + granted + "'s key stays until it is back or given up");
        }
    }

    /** Back on the relay: a grant still held is resumed and its forward registered again. */
    void resume() {
        String engineer;
        synchronized (this) {
            engineer = granted;
        }
        if (engineer == null) {
            return;
        }
        answer("resumed", engineer);
        Thread reopening = new Thread(() -> {
            synchronized (this) {
                if (!engineer.equals(granted)) {
                    return;
                }
                if (openForward()) {
                    say.accept("tunnel open again for " + engineer + " \u2014 " + howToClose);
                } else {
                    say.accept("the relay did not take the tunnel back; " + engineer + "'s key is removed");
                    takeBack();
                    answer("revoked", engineer);
                }
            }
        }, "tunl-tunnel-resume");
        reopening.setDaemon(true);
        reopening.start();
    }

    /** The session ends: no answer to send, but nothing may stay behind. */
    synchronized void close() {
        pending = null;
        if (granted != null) {
            takeBack();
        }
    }

    private boolean openForward() {
        // The relay handles the grant on another thread than the forward request; a forward that
        // overtakes the grant is refused, so try again briefly.
        for (int attempt = 1; attempt <= FORWARD_ATTEMPTS; attempt++) {
            try {
                relay.forward(options.sessionId(), options.sshPort());
                forwarding = true;
                return true;
            } catch (IOException e) {
                log.log(Level.FINE, "forward attempt " + attempt + " refused", e);
                try {
                    Thread.sleep(FORWARD_RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private void takeBack() {
        if (forwarding) {
            try {
                relay.stopForward(options.sessionId());
            } catch (IOException e) {
                log.log(Level.FINE, "stopping the forward failed; the relay closes it with the connection", e);
            }
            forwarding = false;
        }
        try {
            authorizedKeys.remove(options.sessionId());
        } catch (IOException e) {
            say.accept("could not remove the support key from ~/.ssh/authorized_keys: " + e.getMessage()
                    + " \u2014 remove the lines tagged tunl:" + options.sessionId() + " by hand");
        }
        granted = null;
    }

    private void answer(String decision, String engineer) {
        relay.send(new Frame.TunnelDecision(decision, engineer));
    }
}
