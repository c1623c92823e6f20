package com.linbit.tunl.client;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The user's running ssh-agent ({@code $SSH_AUTH_SOCK}) over a JDK Unix socket: MINA speaks the
 * agent protocol, this only carries its messages (MINA's own Unix transport needs native APR).
 * Keys never leave the agent; it signs the login challenge.
 */
public final class UnixSocketSshAgent extends AbstractAgentProxy {

    /** Agent answers are small (key lists, signatures); anything larger is not an agent. */
    private static final int MAX_ANSWER = 256 * 1024;

    private final Path socket;

    private UnixSocketSshAgent(Path socket) {
        super(null);
        this.socket = socket;
    }

    /** The agent named by {@code SSH_AUTH_SOCK} in {@code environment}, if that socket exists. */
    public static Optional<UnixSocketSshAgent> fromEnvironment(Map<String, String> environment) {
        String path = environment.get(SshAgent.SSH_AUTHSOCKET_ENV_NAME);
        if (path == null || path.isBlank() || !Files.exists(Path.of(path))) {
            return Optional.empty();
        }
        return Optional.of(new UnixSocketSshAgent(Path.of(path)));
    }

    /** True when the agent answers and holds at least one key. */
    public boolean hasKeys() {
        try {
            return getIdentities().iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    protected synchronized Buffer request(Buffer message) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(message.array(), message.rpos(), message.available());
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteBuffer length = readFully(channel, ByteBuffer.allocate(4));
            int size = length.flip().getInt();
            if (size < 1 || size > MAX_ANSWER) {
                throw new IOException("the ssh-agent at " + socket + " sent a " + size + "-byte answer");
            }
            return new ByteArrayBuffer(readFully(channel, ByteBuffer.allocate(size)).array());
        }
    }

    private ByteBuffer readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the ssh-agent at " + socket + " closed the connection");
            }
        }
        return buffer;
    }

    /** Hands MINA's client this agent; the relay never forwards agents, so no server side. */
    public SshAgentFactory factory() {
        return new SshAgentFactory() {
            @Override
            public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
                return List.of();
            }

            @Override
            public SshAgent createClient(Session session, FactoryManager manager) {
                return UnixSocketSshAgent.this;
            }

            @Override
            public SshAgentServer createServer(ConnectionService service) {
                throw new UnsupportedOperationException("tunl does not forward agents");
            }
        };
    }
}
