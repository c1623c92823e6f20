package com.linbit.tunl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.client.session.ClientSession;

import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.CustomerSshd;
import com.linbit.tunl.testing.OpenSshClient;

/**
 * Everything a run measures, on loopback: the relay with engineer {@code bench}, the customer's
 * stock sshd (the tunnel's target, and the direct baseline), a second stock sshd as the OpenSSH
 * jump host, stock {@code ssh} in a temporary HOME, and one MINA client for simulated peers.
 */
final class Rig implements AutoCloseable {

    static final String ENGINEER = "bench";

    final Path folder;
    final RelayUnderTest relay;
    final OpenSshClient ssh;
    final Path engineerKey;
    final Path caFile;
    final CustomerSshd target;
    final CustomerSshd jump;
    final Path relayJumpConfig;
    final Path opensshConfig;
    final BenchSsh mina;
    private final ClientSession console;
    private final List<AutoCloseable> started = new ArrayList<>();

    private Rig(Path folder, BenchOptions options) throws Exception {
        this.folder = folder;
        System.setProperty("tunl.agent.jar", options.agentJar().toString());
        relay = track(RelayUnderTest.start(options.relayJar(), folder.resolve("relay"), options.relayJvmOptions()));
        ssh = new OpenSshClient(folder.resolve("engineer"), relay.get("/known_hosts"));
        engineerKey = ssh.generateKey("id_ed25519", "ed25519", 0);
        relay.registerKey(ENGINEER, OpenSshClient.publicKeyOf(engineerKey));
        caFile = folder.resolve("relay-ca.pub");
        Files.writeString(caFile, relay.get("/ca.pub"));
        Path authorizedKeys = folder.resolve("authorized_keys");
        Files.writeString(authorizedKeys, OpenSshClient.publicKeyOf(engineerKey) + "\n");
        target = track(CustomerSshd.start(folder.resolve("customer-sshd"), authorizedKeys, "ERROR"));
        jump = track(CustomerSshd.start(folder.resolve("jump-sshd"), authorizedKeys, "ERROR"));
        relayJumpConfig = ssh.jumpConfig(engineerKey, relay.sshPort(), ENGINEER);
        opensshConfig = writeOpensshConfig();
        mina = track(BenchSsh.start(relay.sshPort(), caFile));
        relay.registerKey(ENGINEER, mina.publicKeyLine());
        console = mina.login(ENGINEER);
    }

    static Rig start(Path folder, BenchOptions options) throws Exception {
        Files.createDirectories(folder);
        return new Rig(folder, options);
    }

    private <T extends AutoCloseable> T track(T resource) {
        started.add(0, resource);
        return resource;
    }

    /** A new support session as engineer {@code bench}; returns its ID. */
    String createSession() throws IOException {
        return BenchSsh.exec(console, "create-session --case bench").lines().findFirst().orElseThrow().strip();
    }

    /** The real agent for {@code sessionId} in its own tmux, with a HOME of its own. */
    CustomerAgent startAgent(String sessionId, String... options) {
        return CustomerAgent.start(folder.resolve("customers").resolve(sessionId), relay.sshPort(), caFile, sessionId, options);
    }

    /** {@code ssh} as an engineer to the relay, e.g. {@code -tt -- join <id>}. */
    List<String> relayCommand(String... rest) {
        return ssh.sshCommand(engineerKey, relay.sshPort(), ENGINEER, rest);
    }

    /** {@code ssh -J <relay> root@<session>}: the customer's sshd through the tunl tunnel. */
    List<String> throughTunl(String sessionId, String... command) {
        return OpenSshClient.jumpCommand(relayJumpConfig, "root@" + sessionId, command);
    }

    /** {@code ssh -J <OpenSSH jump host>} to the same customer sshd. */
    List<String> throughOpensshJump(String... command) {
        List<String> words = new ArrayList<>(List.of("ssh", "-F", opensshConfig.toString(), "-J", "openssh-jump",
                "-p", Integer.toString(target.port()), "root@127.0.0.1"));
        words.addAll(List.of(command));
        return words;
    }

    /** {@code ssh} straight to the customer's sshd, with {@code options} before the destination. */
    List<String> direct(List<String> options, String... command) {
        List<String> words = new ArrayList<>(List.of("ssh", "-F", opensshConfig.toString()));
        words.addAll(options);
        words.addAll(List.of("-p", Integer.toString(target.port()), "root@127.0.0.1"));
        words.addAll(List.of(command));
        return words;
    }

    private Path writeOpensshConfig() throws IOException {
        Path config = folder.resolve("openssh_config");
        Files.writeString(config, String.join("\n",
                "Host openssh-jump",
                "  HostName 127.0.0.1",
                "  Port " + jump.port(),
                "  User root",
                "Host *",
                "  GlobalKnownHostsFile /dev/null",
                "  UserKnownHostsFile " + folder.resolve("openssh_known_hosts"),
                "  StrictHostKeyChecking accept-new",
                "  IdentitiesOnly yes",
                "  IdentityFile " + engineerKey,
                "  BatchMode yes",
                "  ConnectTimeout 10",
                "  LogLevel ERROR",
                ""));
        return config;
    }

    @Override
    public void close() {
        console.close(true);
        for (AutoCloseable resource : started) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("closing " + resource + ": " + e);
            }
        }
    }
}
