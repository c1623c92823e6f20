package com.linbit.tunl.shell.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.net.SshdSocketAddress;

import com.linbit.tunl.client.RelaySsh;
import com.linbit.tunl.client.RelayTrust;

/**
 * The engineer's SSH connection to the relay, verified through the pinned relay CA, logged in
 * with the engineer's key. Relay commands run as SSH exec requests, exactly as with stock ssh.
 */
public final class RelayConnection implements AutoCloseable {

    /** Customers' sshd is reached as {@code <session-id>:22}, whatever its real port. */
    public static final int TUNNEL_PORT = 22;

    private final RelaySsh ssh;

    private RelayConnection(RelaySsh ssh) {
        this.ssh = ssh;
    }

    /**
     * @throws RelayException with a message the engineer can act on
     */
    static RelayConnection open(ShellConfig config, Map<String, String> environment, EngineerKeys keys) {
        RelayTrust trust;
        try {
            trust = RelayTrust.load(List.of(config.caFile()));
        } catch (IOException e) {
            throw new RelayException(e.getMessage() + "; run setup again with the relay's CA file (GET /ca.pub)");
        }
        EngineerKeys.Credentials credentials = keys.resolve(config, environment);
        try {
            return new RelayConnection(RelaySsh.connect(config.relay(), config.user(), credentials.keys(),
                    credentials.agent(), trust));
        } catch (RelaySsh.RelayUnverifiedException e) {
            throw new RelayException("the relay at " + config.relay() + " could not be verified: " + e.getMessage()
                    + ". Someone may be intercepting the connection; check the CA file given to setup.");
        } catch (IOException e) {
            if (RelaySsh.isLoginRefused(e)) {
                String tried = config.identity() == null ? "the keys in your ssh-agent"
                        : "the key " + config.identity() + (credentials.agent() != null ? " and your ssh-agent's keys" : "");
                throw new RelayException("the relay refused " + tried + " for user " + config.user()
                        + "; ask an admin to register your public key"
                        + (config.identity() == null ? "" : " (" + config.identity() + ".pub)"));
            }
            throw new RelayException("cannot reach the relay at " + config.relay() + ": " + e.getMessage());
        }
    }

    /** Runs one relay command; its words are quoted so the relay sees them exactly. */
    public Result run(List<String> words) {
        try (ChannelExec channel = ssh.session().createExecChannel(commandLine(words))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(RelaySsh.TIMEOUT);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofMinutes(2));
            Integer status = channel.getExitStatus();
            return new Result(status == null ? 255 : status, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RelayException("the relay connection failed: " + e.getMessage());
        }
    }

    /**
     * Starts a long-running relay command whose streams the caller reads and writes itself, with a
     * pty of {@code columns} x {@code rows} when {@code columns > 0} (what {@code ssh -t} does).
     */
    public RelayStream openStream(List<String> words, int columns, int rows) {
        try {
            ChannelExec channel = ssh.session().createExecChannel(commandLine(words));
            if (columns > 0) {
                channel.setUsePty(true);
                channel.setPtyType("xterm-256color");
                channel.setPtyColumns(columns);
                channel.setPtyLines(rows);
            }
            channel.open().verify(RelaySsh.TIMEOUT);
            return new RelayStream(channel);
        } catch (IOException e) {
            throw new RelayException("the relay connection failed: " + e.getMessage());
        }
    }

    /**
     * A connection through the tunnel of {@code sessionId} to the customer's sshd, as
     * {@code ssh -W <id>:22} would open it.
     *
     * @throws RelayException with the relay's reason, e.g. "tunnel not granted for ..."
     */
    public RelayStream openTunnel(String sessionId) {
        try {
            ChannelDirectTcpip channel = ssh.session().createDirectTcpipChannel(
                    new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(sessionId, TUNNEL_PORT));
            channel.open().verify(RelaySsh.TIMEOUT);
            return new RelayStream(channel);
        } catch (IOException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SshChannelOpenException refused && refused.getMessage() != null) {
                    throw new RelayException(refused.getMessage());
                }
            }
            throw new RelayException("the tunnel connection failed: " + e.getMessage());
        }
    }

    /** Whether the SSH connection is still up (a lost relay closes it, keepalives notice a frozen one). */
    public boolean isOpen() {
        return ssh.session().isOpen() && !ssh.session().isClosing();
    }

    @Override
    public void close() {
        ssh.close();
    }

    private static String commandLine(List<String> words) {
        return words.stream().map(RelayConnection::quote).collect(Collectors.joining(" "));
    }

    static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_.,:/=@+".indexOf(c) >= 0)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** What a relay command printed and how it ended. */
    public record Result(int exitStatus, String stdout, String stderr) {
        public boolean ok() {
            return exitStatus == 0;
        }
    }
}
