package com.linbit.tunl.shell.relay;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.session.SessionContext;

import com.linbit.tunl.client.UnixSocketSshAgent;

/**
 * How the engineer logs in: the identity file and, when one runs, the ssh-agent. A passphrase is
 * asked for on the terminal only when no agent can sign, and once per console run: the decrypted
 * key stays in this process's memory, never on disk.
 */
final class EngineerKeys {

    private Path cachedFile;
    private FileTime cachedModified;
    private KeyPair cachedKey;

    /** The keys to offer, with the agent to try after them (either may be empty, not both). */
    record Credentials(List<KeyPair> keys, UnixSocketSshAgent agent) {
    }

    Credentials resolve(ShellConfig config, Map<String, String> environment) {
        UnixSocketSshAgent agent = UnixSocketSshAgent.fromEnvironment(environment).filter(UnixSocketSshAgent::hasKeys).orElse(null);
        Path identity = config.identity();
        if (identity == null) {
            if (agent != null) {
                return new Credentials(List.of(), agent);
            }
            throw new RelayException("no SSH key found: create one with ssh-keygen -t ed25519, or name one with"
                    + " setup --identity FILE");
        }
        KeyPair key = load(identity, agent == null);
        return new Credentials(key == null ? List.of() : List.of(key), agent);
    }

    /** The key in {@code file}; null when it is passphrase-protected and {@code mayAsk} is false (the agent signs). */
    private synchronized KeyPair load(Path file, boolean mayAsk) {
        FileTime modified = modified(file);
        if (file.equals(cachedFile) && modified.equals(cachedModified)) {
            return cachedKey;
        }
        FileKeyPairProvider provider = new FileKeyPairProvider(file);
        PassphraseAsker asker = new PassphraseAsker(file, mayAsk);
        provider.setPasswordFinder(asker);
        KeyPair key;
        try {
            Iterator<KeyPair> keys = provider.loadKeys(null).iterator();
            key = keys.hasNext() ? keys.next() : null;
        } catch (RuntimeException e) {
            // MINA loads lazily and wraps I/O and key errors in runtime exceptions.
            throw asker.failure != null ? asker.explain() : new RelayException("cannot read the key " + file + " (" + e.getMessage() + ")");
        }
        if (key == null) {
            if (asker.failure instanceof PassphraseNotAsked) {
                return null;
            }
            throw asker.failure != null ? asker.explain() : new RelayException("no private key in " + file);
        }
        cachedFile = file;
        cachedModified = modified;
        cachedKey = key;
        return key;
    }

    /** Asks for the passphrase (or declines to, when the agent signs) and keeps what went wrong. */
    private static final class PassphraseAsker implements FilePasswordProvider {

        private final Path file;
        private final boolean mayAsk;
        private Exception failure;

        PassphraseAsker(Path file, boolean mayAsk) {
            this.file = file;
            this.mayAsk = mayAsk;
        }

        @Override
        public String getPassword(SessionContext session, NamedResource resource, int retry) throws IOException {
            if (!mayAsk) {
                failure = new PassphraseNotAsked();
                throw (PassphraseNotAsked) failure;
            }
            try {
                return askPassphrase(file);
            } catch (RelayException e) {
                failure = e;
                throw new IOException(e.getMessage());
            }
        }

        @Override
        public ResourceDecodeResult handleDecodeAttemptResult(SessionContext session, NamedResource resource, int retry,
                                                              String password, Exception error) {
            if (error != null && failure == null) {
                failure = password != null ? new RelayException("cannot decrypt " + file + ": wrong passphrase") : error;
            }
            return ResourceDecodeResult.TERMINATE;
        }

        RelayException explain() {
            return failure instanceof RelayException relay ? relay
                    : new RelayException("cannot read the key " + file + " (" + failure.getMessage() + ")");
        }
    }

    private static String askPassphrase(Path file) {
        Console console = System.console();
        if (console == null) {
            throw new RelayException("the key " + file + " is passphrase-protected and there is no terminal to ask on:"
                    + " add it to your ssh-agent (ssh-add " + file + ") or run tunl on a terminal");
        }
        char[] passphrase = console.readPassword("Passphrase for %s: ", file);
        if (passphrase == null || passphrase.length == 0) {
            throw new RelayException("no passphrase given for " + file);
        }
        return new String(passphrase);
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new RelayException("cannot read the key " + file + ": " + e.getMessage());
        }
    }

    /** The key is protected and the agent will sign instead: stop decoding quietly. */
    private static final class PassphraseNotAsked extends IOException {
        PassphraseNotAsked() {
            super("passphrase not asked: the ssh-agent signs");
        }
    }

}
