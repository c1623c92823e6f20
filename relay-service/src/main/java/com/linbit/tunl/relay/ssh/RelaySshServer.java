package com.linbit.tunl.relay.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.session.ServerConnectionServiceFactory;
import org.apache.sshd.server.session.ServerUserAuthServiceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linbit.tunl.client.InlineNio2ServiceFactory;
import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.chat.ChatService;
import com.linbit.tunl.relay.live.LiveSessions;
import com.linbit.tunl.relay.recording.Recordings;
import com.linbit.tunl.relay.keys.KeyRegistry;
import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.ssh.command.RefusingShellFactory;
import com.linbit.tunl.relay.ssh.command.RefusingSubsystemFactory;
import com.linbit.tunl.relay.ssh.command.SupportCommandFactory;
import com.linbit.tunl.relay.ssh.tunnel.VirtualForwards;
import com.linbit.tunl.relay.ssh.tunnel.VirtualTunnels;
import com.linbit.tunl.relay.tunnel.TunnelClosed;
import com.linbit.tunl.relay.tunnel.TunnelService;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The relay's one SSH port: public-key logins only, commands only, no shell, no forwarding.
 */
@Component
public class RelaySshServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelaySshServer.class);

    private final SshProperties properties;
    private final RelayIdentity identity;
    private final KeyRegistry keys;
    private final SupportConnections connections;
    private final SessionService sessions;
    private final AuditLog audit;
    private final Clock clock;
    private volatile SshServer server;
    private volatile VirtualForwards forwards;
    private volatile ExecutorService commandExecutor;
    private volatile ExecutorService streamExecutor;
    private volatile java.util.concurrent.ScheduledExecutorService keepAlives;
    private final LiveSessions live;
    private final ChatService chat;
    private final TunnelService tunnels;
    private final Recordings recordings;

    RelaySshServer(SshProperties properties, RelayIdentity identity, KeyRegistry keys,
                   SupportConnections connections, SessionService sessions, AuditLog audit, Clock clock,
                   LiveSessions live, ChatService chat, TunnelService tunnels, Recordings recordings) {
        this.tunnels = tunnels;
        this.recordings = recordings;
        this.live = live;
        this.chat = chat;
        this.properties = properties;
        this.identity = identity;
        this.keys = keys;
        this.connections = connections;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    /** The tunnels' traffic; null before the server started. */
    public VirtualForwards forwards() {
        return forwards;
    }

    @Override
    public synchronized void start() {
        // Before any agent can connect: sessions a previous run left active now wait for theirs.
        int waiting = sessions.relayStarted(version());
        if (waiting > 0) {
            log.info("{} session(s) were active before this start; they wait for their customers to reconnect", waiting);
        }
        commandExecutor = commandExecutor(properties.commandThreads());
        streamExecutor = streamExecutor();
        SshServer ssh = SshServer.setUpDefaultServer();
        ssh.setHost(properties.bindAddress());
        ssh.setPort(properties.port());
        ssh.setKeyPairProvider(KeyPairProvider.wrap(identity.hostKey()));
        ssh.setHostKeyCertificateProvider(session -> List.of(identity.hostCertificate()));
        ssh.setCipherFactories(RelayCiphers.offered());
        ssh.setIoServiceFactoryFactory(InlineNio2ServiceFactory.factory());

        ssh.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        ssh.setPublickeyAuthenticator(new SupportPublickeyAuthenticator(keys, audit));
        ssh.setPasswordAuthenticator(null);
        ssh.setKeyboardInteractiveAuthenticator(null);
        ssh.setGSSAuthenticator(null);
        ssh.setHostBasedAuthenticator(null);
        ssh.setServiceFactories(List.of(
                new ServerUserAuthServiceFactory() {
                    @Override
                    public org.apache.sshd.common.Service create(org.apache.sshd.common.session.Session session)
                            throws IOException {
                        return new PasswordAuditingUserAuthService(session, audit);
                    }
                },
                ServerConnectionServiceFactory.INSTANCE));

        AddressLimits limits = new AddressLimits(properties.maxConnectionsPerAddress(),
                properties.unknownSessionAttemptsPerMinute(), audit);
        ssh.setCommandFactory(new SupportCommandFactory(commandExecutor, streamExecutor, sessions, live, chat,
                audit, clock, properties.viewerBuffer().toBytes(), tunnels, recordings, limits));
        ssh.setShellFactory(new RefusingShellFactory(commandExecutor, audit));
        ssh.setSubsystemFactories(List.of(new RefusingSubsystemFactory("sftp", commandExecutor, audit)));
        ssh.setForwardingFilter(new AuditingDenyForwardingFilter(audit));
        // The one exception to "no forwarding": the customer-granted virtual tunnel, no socket.
        forwards = VirtualTunnels.install(ssh, new SessionTunnelGate(tunnels, audit, clock));
        ssh.setChannelFactories(ChannelCapFactory.wrap(ssh.getChannelFactories(), properties.maxChannelsPerConnection(), audit));
        ssh.setAgentFactory(new AgentRequestAuditingFactory());
        ssh.addSessionListener(limits);
        ssh.addSessionListener(connections);
        keepAlives = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tunl-keepalive");
            thread.setDaemon(true);
            return thread;
        });
        ssh.addSessionListener(new KeepAliveProbe(keepAlives, properties.heartbeatInterval(), properties.heartbeatMaxMissed()));

        CoreModuleProperties.SERVER_IDENTIFICATION.set(ssh, "tunl");
        // A quiet shell is not an idle connection: the keepalive probes keep MINA's idle timer (and
        // load balancers) from cutting it, and cut a peer that stopped answering.
        CoreModuleProperties.AUTH_TIMEOUT.set(ssh, properties.authTimeout());
        CoreModuleProperties.IDLE_TIMEOUT.set(ssh, properties.idleTimeout());
        // A keystroke and its echo are a few bytes each way: without this, Nagle's algorithm
        // holds them for the peer's delayed ACK (tens of milliseconds), as OpenSSH avoids too.
        CoreModuleProperties.TCP_NODELAY.set(ssh, true);
        CoreModuleProperties.NIO2_READ_BUFFER_SIZE.set(ssh, (int) properties.readBuffer().toBytes());
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(ssh, properties.maxAuthAttempts());
        // ChannelCapFactory refuses one channel too many; MINA's own cap, which drops the whole
        // connection, stays one above it as a backstop.
        CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(ssh, properties.maxChannelsPerConnection() + 1);
        try {
            ssh.start();
        } catch (IOException e) {
            commandExecutor.shutdownNow();
            throw new UncheckedIOException("cannot listen for SSH on " + properties.bindAddress() + ":"
                    + properties.port() + " (tunl.ssh.port): " + e.getMessage(), e);
        }
        server = ssh;
        log.info("SSH listening on {}:{}", properties.bindAddress(), ssh.getPort());
    }

    /** A revoked or closed tunnel: the gate already refuses new connections; the live ones go now. */
    @EventListener
    void tunnelClosed(TunnelClosed closed) {
        VirtualForwards current = forwards;
        if (current != null) {
            current.cutAll(closed.sessionId());
        }
    }

    @Override
    public synchronized void stop() {
        SshServer running = server;
        server = null;
        if (running != null) {
            audit.record(AuditEntry.of(AuditEventType.RELAY_STOPPED, "relay").details("version=" + version()));
        }
        if (running != null) {
            try {
                running.stop(true);
            } catch (IOException e) {
                log.warn("SSH server did not stop cleanly: {}", e.getMessage());
            }
        }
        if (commandExecutor != null) {
            commandExecutor.shutdownNow();
        }
        if (streamExecutor != null) {
            streamExecutor.shutdownNow();
        }
        if (keepAlives != null) {
            keepAlives.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        SshServer running = server;
        return running != null && running.isOpen();
    }

    /** Starts after the database and the key registry are ready, stops before them. */
    @Override
    public int getPhase() {
        return 0;
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int port() {
        SshServer running = server;
        if (running == null) {
            throw new IllegalStateException("SSH server is not running");
        }
        return running.getPort();
    }

    /** The port clients are told to use: {@code tunl.ssh.public-port}, or the bound one. */
    public int publicPort() {
        return properties.publicPort() != 0 ? properties.publicPort() : port();
    }

    /** One thread per live stream (agent channel, join, chat); connection caps bound their number. */
    private static String version() {
        String version = RelaySshServer.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    private static ExecutorService streamExecutor() {
        AtomicInteger counter = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new java.util.concurrent.SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "tunl-ssh-stream-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    private static ExecutorService commandExecutor(int threads) {
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(threads * 64), runnable -> {
                    Thread thread = new Thread(runnable, "tunl-ssh-command-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
