package com.linbit.tunl.shell.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

import com.linbit.tunl.client.RelaySsh;
import com.linbit.tunl.client.RelayTrust;

/**
 * The engineer's SSH connection to the relay, verified through the pinned relay CA, logged in
 * with the engineer's key. Relay commands run as SSH exec requests, exactly as with stock ssh.
 */
public final class RelayConnection implements AutoCloseable {

    private final RelaySsh ssh;

    private RelayConnection(RelaySsh ssh) {
        this.ssh = ssh;
    }

    /**
     * @throws RelayException with a message the engineer can act on
     */
    public static RelayConnection open(ShellConfig config) {
        RelayTrust trust;
        try {
            trust = RelayTrust.load(List.of(config.caFile()));
        } catch (IOException e) {
            throw new RelayException(e.getMessage() + "; run setup again with the relay's CA file (GET /ca.pub)");
        }
        KeyPair key = loadKey(config);
        try {
            return new RelayConnection(RelaySsh.connect(config.relay(), config.user(), key, trust));
        } catch (RelaySsh.RelayUnverifiedException e) {
            throw new RelayException("the relay at " + config.relay() + " could not be verified: " + e.getMessage()
                    + ". Someone may be intercepting the connection; check the CA file given to setup.");
        } catch (IOException e) {
            if (RelaySsh.isLoginRefused(e)) {
                throw new RelayException("the relay refused the key " + config.identity() + " for user " + config.user()
                        + "; ask an admin to register your public key (" + config.identity() + ".pub)");
            }
            throw new RelayException("cannot reach the relay at " + config.relay() + ": " + e.getMessage());
        }
    }

    /** Runs one relay command; its words are quoted so the relay sees them exactly. */
    public Result run(List<String> words) {
        String commandLine = words.stream().map(RelayConnection::quote).collect(Collectors.joining(" "));
        try (ChannelExec channel = ssh.session().createExecChannel(commandLine)) {
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

    @Override
    public void close() {
        ssh.close();
    }

    private static KeyPair loadKey(ShellConfig config) {
        if (config.identity() == null) {
            throw new RelayException("no SSH key found: create one with ssh-keygen -t ed25519, or name one with"
                    + " setup --identity FILE");
        }
        try {
            Iterator<KeyPair> keys = new FileKeyPairProvider(config.identity()).loadKeys(null).iterator();
            if (!keys.hasNext()) {
                throw new RelayException("no private key in " + config.identity());
            }
            return keys.next();
        } catch (RelayException e) {
            throw e;
        } catch (RuntimeException e) {
            // MINA loads lazily and wraps I/O and key errors in runtime exceptions.
            throw new RelayException("cannot read the key " + config.identity() + " (" + e.getMessage()
                    + "); passphrase-protected keys are not supported yet — use an unencrypted key for tunl");
        }
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
