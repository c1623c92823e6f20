package com.linbit.tunl.relay.ssh.command;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.ssh.LogContext;
import com.linbit.tunl.relay.ssh.SshSessions;

/**
 * The base of every SSH command: runs the command on the relay's command executor (never on
 * MINA's I/O threads), turns a {@link UsageException} into {@code fatal: <message>} and its exit
 * status, and an unexpected failure into a logged error and a generic reply with a reference.
 */
abstract class SupportCommand implements Command {

    private static final Logger log = LoggerFactory.getLogger(SupportCommand.class);
    static final int EXIT_INTERNAL_ERROR = 128;

    private final Executor executor;
    private List<String> words = List.of();
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exitCallback;
    private AuditLog audit;

    SupportCommand(Executor executor) {
        this.executor = executor;
    }

    /** The command's name as typed, e.g. {@code create-session}. */
    abstract String name();

    /** Does the work; returns the exit status. */
    abstract int run(Invocation invocation) throws Exception;

    /** Refusals ({@code fatal:}) go to {@code audit} as {@code command-refused} with their reason code. */
    final SupportCommand auditedBy(AuditLog audit) {
        this.audit = audit;
        return this;
    }

    final SupportCommand withArguments(List<String> arguments) {
        this.words = List.copyOf(arguments);
        return this;
    }

    @Override
    public final void start(ChannelSession channel, Environment env) {
        Invocation invocation = new Invocation(channel, env, words, in, out, new Writers(out, err), isPty(env));
        try {
            executor.execute(() -> runReporting(invocation));
        } catch (RejectedExecutionException busy) {
            invocation.err().print("fatal: the relay is busy, try again in a moment" + invocation.newline());
            finish(invocation, 1);
        }
    }

    private void runReporting(Invocation invocation) {
        int status;
        MDC.put(LogContext.ENGINEER, invocation.user());
        if (!words.isEmpty() && com.linbit.tunl.relay.session.SessionIdGenerator.isWellFormed(words.get(0))) {
            MDC.put(LogContext.SESSION, words.get(0));
        }
        try {
            status = run(invocation);
        } catch (UsageException e) {
            log.info("{} refused: {}", name(), e.getMessage());
            invocation.err().print("fatal: " + e.getMessage() + invocation.newline());
            status = e.exitStatus();
            if (audit != null) {
                audit.recordLater(AuditEntry.of(AuditEventType.COMMAND_REFUSED, invocation.user())
                        .from(SshSessions.sourceAddress(invocation.channel().getSession()))
                        .reason(e.reason()).details(name() + ": " + e.getMessage()));
            }
        } catch (Exception | Error e) {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            log.error("SSH command {} by {} failed (ref {})", name(), invocation.user(), reference, e);
            invocation.err().print("fatal: internal error in the relay (ref " + reference
                    + "); please report it" + invocation.newline());
            status = EXIT_INTERNAL_ERROR;
        }
        MDC.remove(LogContext.ENGINEER);
        MDC.remove(LogContext.SESSION);
        finish(invocation, status);
    }

    private void finish(Invocation invocation, int status) {
        invocation.writers().flush();
        exitCallback.onExit(status);
    }

    /**
     * Text writers made on first use: each holds an 8 KiB encoder buffer, which a {@code join}
     * that only streams bytes would otherwise keep for as long as it is watched.
     */
    static final class Writers {
        private final OutputStream outStream;
        private final OutputStream errStream;
        private PrintWriter out;
        private PrintWriter err;

        Writers(OutputStream out, OutputStream err) {
            this.outStream = out;
            this.errStream = err;
        }

        synchronized PrintWriter out() {
            if (out == null) {
                out = new PrintWriter(new OutputStreamWriter(outStream, StandardCharsets.UTF_8), false);
            }
            return out;
        }

        synchronized PrintWriter err() {
            if (err == null) {
                err = new PrintWriter(new OutputStreamWriter(errStream, StandardCharsets.UTF_8), false);
            }
            return err;
        }

        synchronized void flush() {
            if (out != null) {
                out.flush();
            }
            if (err != null) {
                err.flush();
            }
        }
    }

    /** MINA has no pty flag; a pty request is what puts TERM into the environment. */
    private static boolean isPty(Environment env) {
        return env.getEnv().containsKey(Environment.ENV_TERM);
    }


    @Override
    public void destroy(ChannelSession channel) {
        // Commands here are short; the channel closing ends their output.
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
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exitCallback = callback;
    }

    /** One run of a command: who asked, with which words, and where to write. */
    record Invocation(ChannelSession channel, Environment env, List<String> words, InputStream in,
                      OutputStream rawOut, Writers writers, boolean pty) {

        PrintWriter out() {
            return writers.out();
        }

        PrintWriter err() {
            return writers.err();
        }

        String user() {
            return channel.getSession().getUsername();
        }

        /** A pty turns bare line feeds into stair steps, so write CR LF there. */
        String newline() {
            return pty ? "\r\n" : "\n";
        }

        void println(String line) {
            out().print(line + newline());
        }

    }
}
