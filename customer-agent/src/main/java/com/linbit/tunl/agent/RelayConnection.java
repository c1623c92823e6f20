package com.linbit.tunl.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.linbit.tunl.client.Backoff;
import com.linbit.tunl.client.RelaySsh;
import com.linbit.tunl.protocol.Frame;
import com.linbit.tunl.protocol.FrameWriter;
import com.linbit.tunl.protocol.Limits;
import com.linbit.tunl.protocol.ProtocolException;
import com.linbit.tunl.protocol.UnknownFrameTypeException;

/**
 * The agent's side of the session across network trouble. Frames to the relay go through a
 * {@link SendQueue} and a sender thread of their own, so the shell's output is never held up by
 * the network; frames from the relay are read by the caller. When the connection is lost the
 * reader reconnects ({@link Backoff}: 1 s growing to 30 s, for up to {@code reconnectFor}), says
 * HELLO again with this run's ID, and the relay's WELCOME tells where to resume sending.
 */
final class RelayConnection implements AutoCloseable {

    private static final Logger log = Logger.getLogger(RelayConnection.class.getName());

    /** Opens one SSH connection to the relay with the session's key. */
    interface Dialer {
        Link dial() throws IOException;
    }

    /** One connection to the relay ({@link RelayLink}): frames both ways and the tunnel's forward. */
    interface Link extends AutoCloseable {
        void send(Frame frame) throws IOException;

        /** The next frame, or null at the end of the stream. */
        Frame read() throws IOException, ProtocolException;

        void forward(String name, int port) throws IOException;

        void stopForward(String name) throws IOException;

        @Override
        void close();
    }

    /** What the customer's status line shows. */
    interface Listener {
        void reconnecting(int attempt);

        void reconnected(Frame.Welcome welcome);

        void gaveUp(String why);
    }

    /** The relay answered HELLO with a refusal (or the relay could not be verified): no point retrying. */
    static final class RefusedException extends IOException {
        private final String code;

        RefusedException(String code, String message) {
            super(message);
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    private final Dialer dialer;
    private final Frame.Hello hello;
    private final Duration reconnectFor;
    private final SendQueue<Link> queue;
    private volatile Listener listener;
    private volatile Link link;
    private volatile boolean closed;
    private final Thread sender;
    private final Set<Integer> unknownTypes = ConcurrentHashMap.newKeySet();

    private RelayConnection(Dialer dialer, Frame.Hello hello, Duration reconnectFor, long bufferBytes) {
        this.dialer = dialer;
        this.hello = hello;
        this.reconnectFor = reconnectFor;
        this.queue = new SendQueue<>(bufferBytes);
        this.listener = new Listener() {
            public void reconnecting(int attempt) {
            }

            public void reconnected(Frame.Welcome welcome) {
            }

            public void gaveUp(String why) {
            }
        };
        this.sender = new Thread(this::sendLoop, "tunl-send");
        sender.setDaemon(true);
    }

    /**
     * Connects and claims the session.
     *
     * @throws RelaySsh.RelayUnverifiedException the relay's identity did not check out
     * @throws RefusedException                   the relay refused the session
     * @throws IOException                        the relay could not be reached
     */
    static RelayConnection open(Dialer dialer, String mode, String hostname, String agentVersion, String runId,
                                Duration reconnectFor, long bufferBytes) throws IOException, ProtocolException {
        Frame.Hello hello = new Frame.Hello(Limits.VERSION, mode, hostname, agentVersion, runId, 1);
        RelayConnection connection = new RelayConnection(dialer, hello, reconnectFor, bufferBytes);
        connection.connectOnce();
        connection.sender.start();
        return connection;
    }

    void listener(Listener listener) {
        this.listener = listener;
    }

    Frame.Welcome welcome() {
        return welcome;
    }

    private volatile Frame.Welcome welcome;

    /**
     * Queues a frame for the relay; never waits on the network. A frame the protocol cannot carry
     * (too large) is refused here, before it is numbered, so it is never sent again and again.
     */
    void send(Frame frame) {
        if (!(frame instanceof Frame.Output)) {
            try {
                FrameWriter.encode(frame);
            } catch (IOException tooLarge) {
                throw new IllegalArgumentException(frame.type() + " frame not sent: " + tooLarge.getMessage(), tooLarge);
            }
        }
        queue.add(frame);
    }

    /**
     * The next frame from the relay; a lost connection is reconnected in here, and so is one that
     * sent what this agent cannot read (a frame of a type it does not know is skipped instead: a
     * newer relay may send one). Null once the connection is closed or reconnecting gave up (the
     * listener heard why).
     */
    Frame read() {
        while (true) {
            Link current = link;
            if (current == null || closed) {
                return null;
            }
            try {
                Frame frame = current.read();
                if (frame instanceof Frame.Ack ack) {
                    queue.acknowledge(ack.received());
                    continue;
                }
                if (frame != null) {
                    return frame;
                }
            } catch (UnknownFrameTypeException e) {
                if (unknownTypes.add(e.code())) {
                    log.info(() -> "skipping frames of type 0x" + Integer.toHexString(e.code())
                            + ", which this agent does not know (a newer relay?)");
                }
                continue;
            } catch (ProtocolException e) {
                log.log(Level.WARNING, "the relay sent a frame this agent cannot read; reconnecting", e);
            } catch (IOException e) {
                log.log(Level.INFO, "relay connection lost", e);
            }
            if (closed || !reconnect(current)) {
                return null;
            }
        }
    }

    /** Registers the reverse forward on the current connection. */
    void forward(String name, int port) throws IOException {
        Link current = link;
        if (current == null) {
            throw new IOException("not connected to the relay");
        }
        current.forward(name, port);
    }

    void stopForward(String name) throws IOException {
        Link current = link;
        if (current != null) {
            current.stopForward(name);
        }
    }

    @Override
    public void close() {
        closed = true;
        queue.close();
        Link current = link;
        link = null;
        if (current != null) {
            current.close();
        }
    }

    private void connectOnce() throws IOException, ProtocolException {
        Link next = dialer.dial();
        try {
            welcome = handshake(next);
        } catch (IOException | ProtocolException | RuntimeException e) {
            next.close();
            throw e;
        }
        // The link first: a sender woken by resume must find it, or it would hold a frame back.
        link = next;
        queue.resume(welcome.received(), next);
    }

    private Frame.Welcome handshake(Link next) throws IOException, ProtocolException {
        next.send(new Frame.Hello(hello.version(), hello.mode(), hello.hostname(), hello.agentVersion(), hello.runId(),
                queue.oldestHeld()));
        Frame answer = next.read();
        if (answer instanceof Frame.Welcome answered) {
            return answered;
        }
        if (answer instanceof Frame.Error error) {
            throw new RefusedException(error.code(), error.message());
        }
        throw new ProtocolException(answer == null ? "the relay closed the connection before WELCOME"
                : "the relay answered HELLO with " + answer.type());
    }

    private boolean reconnect(Link lost) {
        link = null;
        queue.pause();
        lost.close();
        java.util.concurrent.atomic.AtomicBoolean connected = new java.util.concurrent.atomic.AtomicBoolean();
        boolean settled = Backoff.retry(reconnectFor, () -> closed, attempt -> {
            listener.reconnecting(attempt);
            try {
                connectOnce();
                connected.set(true);
                return true;
            } catch (RefusedException | RelaySsh.RelayUnverifiedException e) {
                listener.gaveUp(e.getMessage());
                return true;
            } catch (IOException | ProtocolException e) {
                log.log(Level.INFO, "reconnect attempt " + attempt + " failed: " + e.getMessage());
                return false;
            }
        });
        if (connected.get()) {
            listener.reconnected(welcome);
            return true;
        }
        if (!settled && !closed) {
            listener.gaveUp("the relay could not be reached for " + reconnectFor.toMinutes() + " minutes");
        }
        return false;
    }

    private void sendLoop() {
        try {
            SendQueue.Taken<Link> taken;
            while ((taken = queue.takeForSending()) != null) {
                try {
                    taken.link().send(taken.frame());
                } catch (IOException e) {
                    // The reader notices the closed connection and reconnects; the frame is resent.
                    log.log(Level.FINE, "could not send " + taken.frame().type(), e);
                    taken.link().close();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
