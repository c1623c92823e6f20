package com.linbit.tunl.relay.ssh.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameReader;
import com.linbit.tunl.protocol.Limits;
import com.linbit.tunl.protocol.ProtocolException;
import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.chat.ChatRefusedException;
import com.linbit.tunl.relay.chat.ChatService;
import com.linbit.tunl.relay.live.LiveSession;
import com.linbit.tunl.relay.live.LiveSessions;
import com.linbit.tunl.relay.recording.Recordings;
import com.linbit.tunl.relay.session.ModeRefusedException;
import com.linbit.tunl.relay.session.SessionMode;
import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.session.SessionUnavailableException;
import com.linbit.tunl.relay.session.SupportSession;
import com.linbit.tunl.relay.ssh.AddressLimits;
import com.linbit.tunl.relay.ssh.LogContext;
import com.linbit.tunl.relay.ssh.SshSessions;
import com.linbit.tunl.relay.tunnel.TunnelRefusedException;
import com.linbit.tunl.relay.tunnel.TunnelService;

/**
 * The customer agent's end of the protocol (docs/protocol.md): one per agent connection, run as the
 * SSH command {@code tunl-agent}. Frames are read on a thread of its own; a frame that breaks the
 * protocol ends this channel with an error and an audit row, and nothing else.
 */
public final class AgentChannel implements Command {

    public static final String COMMAND = "tunl-agent";
    private static final Logger log = LoggerFactory.getLogger(AgentChannel.class);
    private static final int CHAT_HISTORY_ON_CONNECT = 50;
    /** Acknowledge at least this often even while frames keep coming. */
    private static final int ACK_EVERY = 64;
    private static final java.time.Duration HELLO_DEADLINE = java.time.Duration.ofSeconds(10);

    private final Executor streams;
    private final SessionService sessions;
    private final LiveSessions live;
    private final ChatService chat;
    private final AuditLog audit;
    private final TunnelService tunnels;
    private final Recordings recordings;
    private final AddressLimits limits;
    private InputStream in;
    private OutputStream out;
    private ExitCallback exit;
    private ChannelSession channel;

    public AgentChannel(Executor streams, SessionService sessions, LiveSessions live, ChatService chat, AuditLog audit,
                        TunnelService tunnels, Recordings recordings, AddressLimits limits) {
        this.limits = limits;
        this.tunnels = tunnels;
        this.recordings = recordings;
        this.streams = streams;
        this.sessions = sessions;
        this.live = live;
        this.chat = chat;
        this.audit = audit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        this.channel = channel;
        streams.execute(this::serve);
    }

    private void serve() {
        String sessionId = channel.getSession().getUsername();
        // Structured logs carry the session this thread serves.
        org.slf4j.MDC.put(LogContext.SESSION, SshSessions.printableUser(sessionId));
        String address = SshSessions.sourceAddress(channel.getSession());
        FrameOutbox outbox = new FrameOutbox(out, problem -> {
            log.info("Closing agent channel of {}: {}", sessionId, problem);
            channel.close(false);
        }, () -> channel.close(false));
        streams.execute(outbox);
        FrameReader reader = new FrameReader(in);
        java.util.concurrent.atomic.AtomicBoolean greeted = new java.util.concurrent.atomic.AtomicBoolean();
        // A connection that never says HELLO does not get to hold a thread.
        java.util.concurrent.CompletableFuture.delayedExecutor(HELLO_DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (!greeted.get()) {
                        channel.close(true);
                    }
                });
        LiveSession session = null;
        FrameAgentLink link = null;
        PartRecorder recorder = null;
        int status = 0;
        try {
            Frame first = reader.read();
            if (!(first instanceof Frame.Hello hello)) {
                throw new ProtocolException("the first frame must be HELLO");
            }
            greeted.set(true);
            if (hello.version() < Limits.OLDEST_VERSION || hello.version() > Limits.VERSION) {
                audit.record(AuditEntry.of(AuditEventType.LOGIN_REFUSED, "customer").from(address)
                        .session(sessionId).reason("unsupported-version").details("version " + hello.version()));
                refuse(outbox, "unsupported-version", "this relay speaks protocol versions " + Limits.OLDEST_VERSION
                        + " to " + Limits.VERSION + ", the agent version " + hello.version() + "; download the current linbit-tunl");
                return;
            }
            SessionMode mode = SessionMode.fromWire(hello.mode())
                    .orElseThrow(() -> new ProtocolException("unknown mode '" + SshSessions.printableUser(hello.mode()) + "'"));
            String host = SshSessions.printableUser(hello.hostname());
            if (limits.unknownSessionsExhausted(address)) {
                audit.record(AuditEntry.of(AuditEventType.LOGIN_REFUSED, "customer").from(address)
                        .session(sessionId).reason("rate-limited"));
                uniformDelay();
                refuse(outbox, "session-unavailable", SessionUnavailableException.PUBLIC_MESSAGE);
                status = 1;
                return;
            }
            SupportSession claimed;
            try {
                claimed = sessions.claim(sessionId, channel.getSession().getAttribute(SshSessions.CUSTOMER_KEY),
                        mode, host, address);
            } catch (SessionUnavailableException e) {
                audit.record(AuditEntry.of(AuditEventType.LOGIN_REFUSED, "customer").from(address)
                        .session(sessionId).reason(e.reason()));
                limits.unknownSessionAttempt(address);
                uniformDelay();
                refuse(outbox, "session-unavailable", SessionUnavailableException.PUBLIC_MESSAGE);
                status = 1;
                return;
            } catch (ModeRefusedException e) {
                audit.record(AuditEntry.of(AuditEventType.LOGIN_REFUSED, "customer").from(address)
                        .session(sessionId).reason("mode-refused").details(e.getMessage()));
                refuse(outbox, "mode-refused", e.getMessage());
                status = 1;
                return;
            }
            channel.getSession().setAttribute(SshSessions.CLAIMED_SESSION, sessionId);
            session = live.open(sessionId);
            link = new FrameAgentLink(outbox);
            String runId = SshSessions.printableUser(hello.runId());
            // A run that never sent a frame is new; so is one other than the run this relay knew.
            boolean newRun = hello.resumeFrom() <= 1 || session.replacesRun(runId);
            long received = session.resume(runId, hello.resumeFrom());
            outbox.send(new Frame.Welcome(sessionId, claimed.getCaseNumber(), mode.wireName(), session.watcherCount(), received));
            log.info("Customer agent connected from {} ({} mode, {} run, resuming after frame {})", address,
                    mode.wireName(), newRun ? "new" : "same", received);
            chat.recent(sessionId, CHAT_HISTORY_ON_CONNECT).forEach(link::chat);
            session.agentConnected(link, mode);
            if (newRun) {
                // A new agent run knows nothing of a tunnel granted to an earlier one.
                tunnels.agentChanged(sessionId, "agent-connected");
            }
            if (mode == SessionMode.TUNNEL && newRun) {
                openTunnelForCreator(claimed, mode, address, outbox);
            }
            recorder = new PartRecorder(recordings, claimed, session);
            status = pump(reader, new Sequence(session, link, received), sessionId, outbox, recorder,
                    new AgentProblems(audit, sessionId, address, host));
        } catch (ProtocolException e) {
            audit.record(AuditEntry.of(AuditEventType.PROTOCOL_VIOLATION, "customer").from(address)
                    .session(sessionId).details(e.getMessage()));
            refuse(outbox, "protocol", "protocol error: " + e.getMessage());
            status = 2;
        } catch (IOException e) {
            log.debug("Agent connection of {} ended: {}", sessionId, e.getMessage());
        } catch (RuntimeException e) {
            log.error("Agent channel of {} failed", sessionId, e);
            refuse(outbox, "internal", "internal error in the relay");
            status = 3;
        } finally {
            // Only the connection that is still the session's own marks it reconnecting; one that
            // a newer connection replaced just goes.
            if (session != null && session.agentDisconnected(link) && !session.isEnded()) {
                sessions.agentDisconnected(sessionId);
                tunnels.agentAway(sessionId);
            }
            if (recorder != null) {
                recorder.close();
            }
            outbox.closeAfterQueued();
            outbox.awaitFlushed(java.time.Duration.ofSeconds(5));
            exit.onExit(status);
            org.slf4j.MDC.remove(LogContext.SESSION);
        }
    }

    /** Relays frames until the agent ends the session (0) or its stream ends; each handled frame is acknowledged. */
    private int pump(FrameReader reader, Sequence sequence, String sessionId, FrameOutbox outbox, PartRecorder recorder,
                     AgentProblems problems) throws IOException, ProtocolException {
        LiveSession session = sequence.session();
        while (true) {
            Frame frame = reader.read();
            if (frame == null || !sequence.stillCurrent()) {
                return 0;
            }
            boolean last = handle(frame, session, sessionId, outbox, recorder, problems);
            sequence.handled();
            if (last || sequence.unacknowledged() >= ACK_EVERY || in.available() == 0) {
                outbox.send(new Frame.Ack(sequence.acknowledge()));
            }
            if (last) {
                return 0;
            }
        }
    }

    /** Acts on one frame from the agent; true when it ended the session. */
    private boolean handle(Frame frame, LiveSession session, String sessionId, FrameOutbox outbox, PartRecorder recorder,
                           AgentProblems problems) throws ProtocolException {
        if (frame instanceof Frame.Output output) {
            recorder.output(output.data());
            session.output(output.data());
        } else if (frame instanceof Frame.Snapshot snapshot) {
            session.snapshot(snapshot.screen());
        } else if (frame instanceof Frame.Resize resize) {
            // Viewers repaint from snapshots; only the recording keeps the size.
            int columns = Limits.clampTerminal(resize.columns());
            int rows = Limits.clampTerminal(resize.rows());
            session.terminalSize(columns, rows);
            recorder.resize(columns, rows);
        } else if (frame instanceof Frame.OutputGap gap) {
            recorder.gap(gap.bytes());
            session.announce("the customer's connection was out so long that " + gap.bytes()
                    + " bytes of output could not be kept; the recording marks the gap");
        } else if (frame instanceof Frame.CustomerChat said) {
            try {
                chat.post(sessionId, "customer", said.text());
            } catch (ChatRefusedException refused) {
                outbox.send(new Frame.Notice(refused.getMessage()));
            }
        } else if (frame instanceof Frame.TunnelDecision decision) {
            if (!tunnels.agentDecided(sessionId, SshSessions.printableUser(decision.decision()),
                    SshSessions.printableUser(decision.engineer()))) {
                outbox.send(new Frame.Notice("that tunnel answer came too late or twice; nothing changed"));
            }
        } else if (frame instanceof Frame.AgentNotice notice) {
            problems.reported(notice.text()).ifPresent(session::tellEngineers);
        } else if (frame instanceof Frame.End) {
            sessions.close(sessionId, "customer", "customer");
            return true;
        } else {
            throw new ProtocolException(frame.type() + " frames go from the relay to the agent, not back");
        }
        return false;
    }

    /** Tunnel mode: the customer chose the tunnel at start, so the session's creator gets it without asking. */
    private void openTunnelForCreator(SupportSession claimed, SessionMode mode, String address, FrameOutbox outbox) {
        try {
            tunnels.request(claimed.getId(), claimed.getCreatedBy(), mode, address);
        } catch (TunnelRefusedException e) {
            outbox.send(new Frame.Notice("no tunnel: " + e.getMessage()));
        }
    }

    private static void refuse(FrameOutbox outbox, String code, String message) {
        outbox.send(new Frame.Error(code, message));
        outbox.closeAfterQueued();
    }

    /** Refusals take a random moment, so timing tells nothing about which IDs exist. */
    private static void uniformDelay() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(100, 400));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        // closing the channel ends the streams, which ends serve()
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        // the protocol carries its own errors
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }
}
