package com.linbit.tunl.relay.ssh.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linbit.tunl.relay.ssh.SshSessions;

/**
 * The virtual forwards: name (session ID) → the agent connection that forwarded it, and the live
 * bridged connections. Thread-safe; no socket is ever opened.
 *
 * <p>One forward per name: a newer {@code tcpip-forward} for a name replaces the older one (an
 * agent that reconnects before its old connection is noticed dead); the old connection's close
 * then leaves the newer forward alone. Who may forward which name is {@link TunnelGate}'s call.
 */
public final class VirtualForwards implements SessionListener {

    private static final Logger log = LoggerFactory.getLogger(VirtualForwards.class);

    /** What the agent is told when it asks for port 0, and what engineers then connect to. */
    static final int DEFAULT_PORT = 22;

    private final TunnelGate gate;
    private final ConcurrentMap<String, Forward> forwards = new ConcurrentHashMap<>();
    private final Set<TunnelConnection> connections = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.LongAdder closedToCustomer = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder closedToEngineer = new java.util.concurrent.atomic.LongAdder();

    VirtualForwards(TunnelGate gate) {
        this.gate = gate;
    }

    /** The names forwarded right now. */
    /** Bytes tunnel connections carried to the customer's side since start, counted as each closes. */
    public long bytesToCustomer() {
        return closedToCustomer.sum();
    }

    /** Bytes tunnel connections carried to engineers since start, counted as each closes. */
    public long bytesToEngineer() {
        return closedToEngineer.sum();
    }

    public Set<String> names() {
        return Set.copyOf(forwards.keySet());
    }

    /** The agent connection that forwards {@code name}, if any. */
    public Optional<ServerSession> agentSession(String name) {
        Forward forward = forwards.get(normalize(name));
        return forward == null ? Optional.empty() : Optional.of(forward.agent());
    }

    /** The live bridged connections of {@code name}. */
    public List<TunnelConnection> connections(String name) {
        String key = normalize(name);
        return connections.stream().filter(c -> c.name().equals(key)).toList();
    }

    /** Every live bridged connection. */
    public List<TunnelConnection> connections() {
        return List.copyOf(connections);
    }

    /**
     * Cuts every live connection of {@code name} at once (use on revoke, after the gate has started
     * refusing new ones). The agent's forward itself stays registered.
     *
     * @return how many connections were cut
     */
    public int cutAll(String name) {
        List<TunnelConnection> live = connections(name);
        live.forEach(TunnelConnection::close);
        if (!live.isEmpty()) {
            log.info("cut {} tunnel connection(s) of {}", live.size(), printable(name));
        }
        return live.size();
    }

    /** The agent's connection closed: its forwards go. */
    @Override
    public void sessionClosed(Session session) {
        for (Map.Entry<String, Forward> entry : forwards.entrySet()) {
            if (entry.getValue().agent() == session && forwards.remove(entry.getKey(), entry.getValue())) {
                closed(entry.getKey());
            }
        }
    }

    // ---- tcpip-forward / cancel-tcpip-forward

    /** @return the port to answer, or empty when refused */
    Optional<Integer> register(ConnectionService service, ServerSession agent, String address, int requestedPort) {
        String name = normalize(address);
        int port = requestedPort == 0 ? DEFAULT_PORT : requestedPort;
        Optional<String> refusal = ask(() -> gate.refuseForward(agent, name, port));
        if (refusal.isEmpty() && !agent.isOpen()) {
            refusal = Optional.of("connection closing");
        }
        if (refusal.isPresent()) {
            String reason = refusal.get();
            log.info("tcpip-forward {}:{} refused for {}: {}", printable(address), requestedPort, printable(agent.getUsername()),
                    printable(reason));
            notify(() -> gate.forwardRefused(agent, name, port, reason));
            return Optional.empty();
        }
        Forward fresh = new Forward(name, address, port, agent, service);
        Forward previous = forwards.put(name, fresh);
        if (!agent.isOpen()) {
            // closed while we registered: sessionClosed may have run before the put
            if (forwards.remove(name, fresh) && previous != null) {
                closed(name);
            }
            return Optional.empty();
        }
        if (previous != null && previous.agent() == agent && previous.port() == port) {
            return Optional.of(port);
        }
        if (previous != null) {
            log.info("tunnel {} re-forwarded by {} (replaces {})", printable(name), agent, previous.agent());
        }
        log.info("tunnel {} forwarded by {} ({}:{})", printable(name), agent, printable(address), port);
        notify(() -> gate.forwardOpened(name, agent));
        return Optional.of(port);
    }

    boolean unregister(ServerSession agent, String address, int requestedPort) {
        String name = normalize(address);
        Forward current = forwards.get(name);
        if (current == null || current.agent() != agent
                || (requestedPort != 0 && requestedPort != current.port())) {
            return false;
        }
        if (forwards.remove(name, current)) {
            // A cancelled forward carries nothing more: what runs through it goes too.
            cutAll(name);
            closed(name);
        }
        return true;
    }

    private void closed(String name) {
        log.info("tunnel {} no longer forwarded", printable(name));
        notify(() -> gate.forwardClosed(name));
    }

    // ---- direct-tcpip

    void connect(EngineerTunnelChannel engineerChannel, ServerSession engineer, String host, int port, OpenFuture opened) {
        String name = normalize(host);
        Optional<String> refusal = ask(() -> gate.refuseConnect(engineer, name, port));
        if (refusal.isPresent()) {
            refuse(engineerChannel, engineer, name, port, SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, refusal.get());
            return;
        }
        Forward forward = forwards.get(name);
        if (forward == null || !forward.agent().isOpen()) {
            refuse(engineerChannel, engineer, name, port, SshConstants.SSH_OPEN_CONNECT_FAILED,
                    "no tunnel to " + name + ": the customer's agent has not opened it");
            return;
        }
        if (forward.port() != port) {
            refuse(engineerChannel, engineer, name, port, SshConstants.SSH_OPEN_CONNECT_FAILED,
                    "no tunnel to " + name + " port " + port + " (the customer's agent forwards port " + forward.port() + ")");
            return;
        }
        SocketAddress origin = engineer.getClientAddress();
        String originHost = "0.0.0.0";
        int originPort = 0;
        if (origin instanceof InetSocketAddress inet) {
            originHost = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            originPort = inet.getPort();
        }
        AgentTunnelChannel agentChannel = new AgentTunnelChannel(forward.address(), forward.port(), originHost, originPort);
        TunnelConnection connection = new TunnelConnection(name, engineer.getUsername(), origin, Instant.now(),
                engineerChannel, agentChannel);
        OpenFuture agentOpened;
        try {
            forward.service().registerChannel(agentChannel);
            agentOpened = agentChannel.open();
        } catch (IOException | RuntimeException e) {
            agentChannel.close(true);
            refuse(engineerChannel, engineer, name, port, SshConstants.SSH_OPEN_CONNECT_FAILED,
                    "the customer's agent for " + name + " is not reachable");
            return;
        }
        agentOpened.addListener(f -> agentAnswered(f, connection, engineerChannel, agentChannel, engineer, port, opened));
    }

    private void agentAnswered(OpenFuture agentOpened, TunnelConnection connection, EngineerTunnelChannel engineerChannel,
                               AgentTunnelChannel agentChannel, ServerSession engineer, int port, OpenFuture opened) {
        String name = connection.name();
        if (!agentOpened.isOpened()) {
            Throwable problem = agentOpened.getException();
            int code = SshConstants.SSH_OPEN_CONNECT_FAILED;
            String why = problem == null ? "no answer" : problem.getMessage();
            if (problem instanceof SshChannelOpenException refused) {
                code = refused.getReasonCode();
            }
            refuse(engineerChannel, engineer, name, port, code,
                    "the customer's agent could not connect to its sshd (" + why + "); is sshd running on the"
                            + " customer's machine, on the port the agent forwards to (--ssh-port, default 22)?");
            return;
        }
        if (!engineerChannel.isOpen()) {
            TunnelConnection.closeGracefully(agentChannel);
            return;
        }
        // A revoke may have come while the agent's side was opening.
        Optional<String> stillAllowed = ask(() -> gate.refuseConnect(engineer, name, port));
        if (stillAllowed.isPresent()) {
            TunnelConnection.closeGracefully(agentChannel);
            refuse(engineerChannel, engineer, name, port, SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, stillAllowed.get());
            return;
        }
        try {
            engineerChannel.confirm(opened);
        } catch (RuntimeException e) {
            log.warn("tunnel {}: could not confirm the engineer's channel: {}", name, e.toString());
            connection.close();
            return;
        }
        connections.add(connection);
        connection.start(() -> {
            connections.remove(connection);
            closedToCustomer.add(connection.bytesToCustomer());
            closedToEngineer.add(connection.bytesToEngineer());
            log.info("{} closed: {} bytes to customer, {} bytes to engineer", connection,
                    connection.bytesToCustomer(), connection.bytesToEngineer());
            notify(() -> gate.connectionClosed(connection));
        });
        log.info("{} opened", connection);
        notify(() -> gate.connectionOpened(connection));
    }

    private void refuse(EngineerTunnelChannel channel, ServerSession engineer, String name, int port, int code, String message) {
        log.info("direct-tcpip {}:{} refused for {}: {}", printable(name), port, printable(engineer.getUsername()),
                printable(message));
        notify(() -> gate.connectRefused(engineer, name, port, message));
        channel.refuse(code, message);
    }

    // ---- helpers

    /** User-supplied text made safe for a log line. */
    static String printable(String text) {
        return SshSessions.printableUser(text);
    }

    static String normalize(String name) {
        return name == null ? "" : name.toLowerCase(Locale.ROOT);
    }

    private static Optional<String> ask(Supplier<Optional<String>> question) {
        try {
            Optional<String> answer = question.get();
            return answer == null ? Optional.of("internal error in the relay (no answer)") : answer;
        } catch (RuntimeException e) {
            log.warn("tunnel gate failed: {}", e.toString(), e);
            return Optional.of("internal error in the relay");
        }
    }

    private static void notify(Runnable notification) {
        try {
            notification.run();
        } catch (RuntimeException e) {
            log.warn("tunnel gate notification failed: {}", e.toString(), e);
        }
    }

    /** One registered forward: the name, as the agent spelled it, the port, and its connection. */
    private record Forward(String name, String address, int port, ServerSession agent, ConnectionService service) {
    }
}
