package com.linbit.tunl.relay.ssh;

import java.util.List;

import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;

/**
 * An agent factory that never makes an agent. MINA consults the forwarding filter only when some
 * agent factory is installed; this one exists so {@code ssh -A} reaches
 * {@link AuditingDenyForwardingFilter} and is refused there, with an audit row.
 */
final class AgentRequestAuditingFactory implements SshAgentFactory {

    @Override
    public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
        return List.of();
    }

    @Override
    public SshAgent createClient(Session session, FactoryManager manager) {
        throw new UnsupportedOperationException("agent forwarding is refused on the relay");
    }

    @Override
    public SshAgentServer createServer(ConnectionService service) {
        throw new UnsupportedOperationException("agent forwarding is refused on the relay");
    }
}
