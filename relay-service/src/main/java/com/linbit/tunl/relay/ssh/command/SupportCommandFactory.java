package com.linbit.tunl.relay.ssh.command;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.chat.ChatService;
import com.linbit.tunl.relay.live.LiveSessions;
import com.linbit.tunl.relay.recording.Recordings;
import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.tunnel.TunnelService;
import com.linbit.tunl.relay.ssh.AddressLimits;
import com.linbit.tunl.relay.ssh.SshSessions;
import com.linbit.tunl.relay.ssh.agent.AgentChannel;

/**
 * Every SSH command, registered here and nowhere else: the support engineers' commands, and the
 * one command a customer agent may run ({@code tunl-agent}).
 *
 * @param executor short commands, a bounded pool
 * @param streams  long-lived commands (join, chat, agent channels), one thread each while they run
 */
public final class SupportCommandFactory implements CommandFactory {

    private final Executor executor;
    private final AuditLog audit;
    private final Map<String, CommandSpec> commands = new LinkedHashMap<>();
    private final java.util.function.Supplier<AgentChannel> agentChannels;

    public SupportCommandFactory(Executor executor, Executor streams, SessionService sessions, LiveSessions live,
                                 ChatService chat, AuditLog audit, Clock clock, long viewerBuffer, TunnelService tunnels,
                                 Recordings recordings, AddressLimits limits) {
        this.executor = executor;
        this.audit = audit;
        this.agentChannels = () -> new AgentChannel(streams, sessions, live, chat, audit, tunnels, recordings, limits);
        register(new CommandSpec("create-session", CreateSessionCommand.USAGE,
                "create a session; prints its ID, then the line to read to the customer",
                () -> new CreateSessionCommand(executor, sessions)));
        register(new CommandSpec("sessions", SessionsCommand.USAGE,
                "list sessions that are not closed",
                () -> new SessionsCommand(executor, sessions, clock)));
        register(new CommandSpec("history", HistoryCommand.USAGE,
                "list closed sessions, newest first (20 unless --limit)",
                () -> new HistoryCommand(executor, sessions)));
        register(new CommandSpec("join", JoinCommand.USAGE,
                "watch the customer's shared shell (ssh -t); type into it in share mode; Ctrl-] leaves",
                () -> new JoinCommand(streams, sessions, live, audit, viewerBuffer)));
        register(new CommandSpec("chat", ChatCommand.USAGE,
                "chat with the customer and other engineers (ssh -t), or send one line with --say",
                () -> new ChatCommand(streams, sessions, live, chat)));
        register(new CommandSpec("request-tunnel", RequestTunnelCommand.USAGE,
                "ask the customer for a reverse SSH tunnel to their sshd; waits for Grant/Deny unless --no-wait",
                () -> new RequestTunnelCommand(streams, sessions, live, tunnels)));
        register(new CommandSpec("whoami", WhoamiCommand.USAGE,
                "show the engineer name and key you logged in with",
                () -> new WhoamiCommand(executor)));
        register(new CommandSpec("help", HelpCommand.USAGE,
                "show this help",
                () -> new HelpCommand(executor, commands.values())));
    }

    private void register(CommandSpec spec) {
        commands.put(spec.name(), spec);
    }

    @Override
    public Command createCommand(ChannelSession channel, String commandLine) {
        if (SshSessions.isCustomer(channel.getSession())) {
            return AgentChannel.COMMAND.equals(commandLine.strip())
                    ? agentChannels.get()
                    : new FailedCommand(executor, new UsageException("customer connections only speak the agent protocol")).auditedBy(audit);
        }
        List<String> words;
        try {
            words = CommandLine.split(commandLine);
        } catch (UsageException e) {
            return new FailedCommand(executor, e).auditedBy(audit);
        }
        if (words.isEmpty()) {
            return commands.get("help").factory().get();
        }

        CommandSpec spec = commands.get(words.get(0));
        if (spec == null) {
            return new FailedCommand(executor, new UsageException("unknown command '"
                    + com.linbit.tunl.relay.ssh.SshSessions.printableUser(words.get(0)) + "'; run 'help' to see the commands"))
                    .auditedBy(audit);
        }
        return spec.factory().get().auditedBy(audit).withArguments(words.subList(1, words.size()));
    }
}
