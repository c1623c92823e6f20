package com.linbit.tunl.relay.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every authenticated connection {@code keepalive@openssh.com} with want-reply, like
 * OpenSSH's ClientAliveInterval: the traffic keeps load balancers from cutting a quiet session, and
 * a peer that stops answering (a frozen network, a suspended laptop) is cut after
 * {@code maxMissed} probes in a row go unanswered, so its session starts waiting for a reconnect.
 * Any reply counts, including the failure reply OpenSSH and MINA clients send for this request.
 */
final class KeepAliveProbe implements SessionListener {

    private static final Logger log = LoggerFactory.getLogger(KeepAliveProbe.class);
    private static final String REQUEST = "keepalive@openssh.com";

    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final int maxMissed;

    KeepAliveProbe(ScheduledExecutorService scheduler, Duration interval, int maxMissed) {
        this.scheduler = scheduler;
        this.interval = interval;
        this.maxMissed = maxMissed;
    }

    @Override
    public void sessionEvent(Session session, Event event) {
        if (event != Event.Authenticated) {
            return;
        }
        AtomicBoolean outstanding = new AtomicBoolean();
        AtomicInteger missed = new AtomicInteger();
        ScheduledFuture<?> probing = scheduler.scheduleAtFixedRate(() -> probe(session, outstanding, missed),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        session.addSessionListener(new SessionListener() {
            @Override
            public void sessionClosed(Session closed) {
                probing.cancel(false);
            }
        });
    }

    private void probe(Session session, AtomicBoolean outstanding, AtomicInteger missed) {
        if (!session.isOpen()) {
            return;
        }
        if (outstanding.get() && missed.incrementAndGet() >= maxMissed) {
            log.info("Closing {}: {} keepalives in a row went unanswered", session, missed.get());
            session.close(true);
            return;
        }
        try {
            Buffer request = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, REQUEST.length() + 8);
            request.putString(REQUEST);
            request.putBoolean(true);
            outstanding.set(true);
            session.request(request, REQUEST, (reply, buffer) -> {
                outstanding.set(false);
                missed.set(0);
            });
        } catch (IOException | RuntimeException e) {
            log.debug("Keepalive to {} not sent: {}", session, e.getMessage());
        }
    }
}
