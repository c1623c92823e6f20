package com.linbit.tunl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real {@code linbit-tunl.jar}, run the way a customer runs it: as root, in a terminal (a
 * detached tmux client of the test's own). The agent takes root's home from the password database,
 * never from {@code $HOME}; so that it is a folder of the test's, the agent runs in a mount
 * namespace of its own where {@code /etc/passwd} names that folder as root's home. Nothing else is
 * changed, and the mount goes with the agent's last process. Closing kills both the test's tmux and
 * the agent's dedicated one.
 */
public final class CustomerAgent implements AutoCloseable {

    private final Tmux outer;
    private final Tmux agentTmux;
    private final Path home;
    private final Path agentTmuxSocket;

    private CustomerAgent(Tmux outer, Tmux agentTmux, Path home, Path agentTmuxSocket) {
        this.outer = outer;
        this.agentTmux = agentTmux;
        this.home = home;
        this.agentTmuxSocket = agentTmuxSocket;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("tunl.agent.jar", "../customer-agent/target/linbit-tunl.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agent jar not built: " + jar.toAbsolutePath());
        }
        return jar;
    }

    /** Starts {@code linbit-tunl [options] <id>} against the relay, trusting {@code caFile}, with {@code home} as root's home. */
    public static CustomerAgent start(Path home, int relayPort, Path caFile, String sessionId, String... options) {
        return in(home).start(relayPort, caFile, sessionId, options);
    }

    /** As {@link #start(Path, int, Path, String, String...)}, with PATH set to {@code path} when not null. */
    public static CustomerAgent start(Path home, String path, int relayPort, Path caFile, String sessionId, String... options) {
        return in(home).path(path).start(relayPort, caFile, sessionId, options);
    }

    /** As {@link #start(Path, String, int, Path, String, String...)}, with further environment variables. */
    public static CustomerAgent start(Path home, String path, Map<String, String> environment, int relayPort,
                                      Path caFile, String sessionId, String... options) {
        Launch launch = in(home).path(path);
        environment.forEach(launch::environment);
        return launch.start(relayPort, caFile, sessionId, options);
    }

    /** A start with more to say: environment, JVM options, the folder the customer runs it from. */
    public static Launch in(Path home) {
        return new Launch(home);
    }

    /** How the customer starts the agent. */
    public static final class Launch {
        private final Path home;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private Path directory;

        private Launch(Path home) {
            this.home = home;
            this.directory = home;
            environment.put("HOME", home.toString());
        }

        /** PATH for the agent, when not null. */
        public Launch path(String path) {
            if (path != null) {
                environment.put("PATH", path);
            }
            return this;
        }

        public Launch environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Launch jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** The folder the customer is in when starting it (the home by default). */
        public Launch from(Path folder) {
            this.directory = folder;
            return this;
        }

        public CustomerAgent start(int relayPort, Path caFile, String sessionId, String... options) {
            try {
                Files.createDirectories(home);
                Files.createDirectories(directory);
                return launch(relayPort, caFile, sessionId, options);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private CustomerAgent launch(int relayPort, Path caFile, String sessionId, String... options) throws IOException {
            if (!"0".equals(currentUid())) {
                throw new IllegalStateException("the agent's tests run as root, as customers run the agent"
                        + " (they give it a home of their own through a mount namespace)");
            }
            Path passwd = home.resolveSibling(home.getFileName() + ".passwd");
            Files.writeString(passwd, withRootHome(Files.readString(Path.of("/etc/passwd"), StandardCharsets.UTF_8), home),
                    StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--",
                    "sh", "-c", "mount --bind \"$0\" /etc/passwd && exec \"$@\"", passwd.toString(), "env"));
            environment.forEach((name, value) -> command.add(name + "=" + value));
            command.add(System.getProperty("java.home") + "/bin/java");
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar().toAbsolutePath().toString(),
                    "--relay", "127.0.0.1:" + relayPort, "--relay-ca", caFile.toString()));
            command.addAll(List.of(options));
            command.add(sessionId);
            String line = "cd " + quote(directory.toString()) + " && "
                    + String.join(" ", command.stream().map(CustomerAgent::quote).toList())
                    + "; echo AGENT-EXIT=$?; sleep 300";
            Tmux outer = new Tmux("tunl-test-" + UUID.randomUUID().toString().substring(0, 8));
            outer.run("new-session", "-d", "-x", "120", "-y", "40", line);
            return new CustomerAgent(outer, new Tmux("tunl-" + sessionId), home, Path.of("/tmp/tmux-0/tunl-" + sessionId));
        }
    }

    /**
     * The agent inside {@code root}, an older release's root ({@link DebianRoot}), as root with that
     * release's own java, tmux and home ({@code /root}); the relay and its CA file are the host's.
     */
    public static CustomerAgent inRoot(DebianRoot root, int relayPort, Path caFile, String sessionId, String... options) {
        try {
            Path folder = root.file("/opt/tunl");
            Files.createDirectories(folder);
            Files.copy(jar(), folder.resolve("linbit-tunl.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(caFile, folder.resolve("relay-ca.pub"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(root.command("/bin/sh", "-c",
                "cd /root && exec java -jar /opt/tunl/linbit-tunl.jar \"$@\"", "sh",
                "--relay", "127.0.0.1:" + relayPort, "--relay-ca", "/opt/tunl/relay-ca.pub"));
        command.addAll(List.of(options));
        command.add(sessionId);
        String line = String.join(" ", command.stream().map(CustomerAgent::quote).toList()) + "; echo AGENT-EXIT=$?; sleep 300";
        Tmux outer = new Tmux("tunl-test-" + UUID.randomUUID().toString().substring(0, 8));
        outer.run("new-session", "-d", "-x", "120", "-y", "40", line);
        return new CustomerAgent(outer, new Tmux("tunl-" + sessionId, root.command()), root.file("/root"),
                root.file("/tmp/tmux-0/tunl-" + sessionId));
    }

    /** {@code passwd} with root's home replaced by {@code home}. */
    static String withRootHome(String passwd, Path home) {
        StringBuilder out = new StringBuilder();
        for (String line : passwd.split("\n")) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 7 && fields[2].equals("0")) {
                fields[5] = home.toString();
                line = String.join(":", fields);
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** What the customer's terminal shows (the agent's tmux client, or the agent's last words). */
    public String terminal() {
        return outer.screen("0");
    }

    /** The shared shell pane in the agent's own tmux. */
    public String shellPane() {
        return agentTmux.screen("tunl:0.0");
    }

    public String chatPane() {
        return agentTmux.screen("tunl:0.1");
    }

    /** Types into the shared shell as the customer. */
    public void typeInShell(String text) {
        agentTmux.type("tunl:0.0", "-l", text);
        agentTmux.type("tunl:0.0", "Enter");
    }

    public void typeInChat(String text) {
        agentTmux.type("tunl:0.1", "-l", text);
        agentTmux.type("tunl:0.1", "Enter");
    }

    /** Presses keys on the customer's keyboard, e.g. {@code C-b Q}. */
    public void press(String... keys) {
        outer.type("0", keys);
    }

    /** The agent's process, a child of the terminal's shell. */
    public long agentPid() {
        String shell = outer.run("display-message", "-p", "-t", "0", "#{pane_pid}").strip();
        try {
            Process children = new ProcessBuilder("pgrep", "-P", shell).redirectErrorStream(true).start();
            String pids = new String(children.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (children.waitFor() != 0 || pids.isEmpty()) {
                throw new IllegalStateException("no agent process under the pane's shell " + shell);
            }
            return Long.parseLong(pids.lines().findFirst().orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the agent process with SIGKILL (no cleanup, like a crash); its tmux stays. */
    public void killAgent() {
        ProcessHandle.of(agentPid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Closes the customer's terminal only: its shell and the agent in it get SIGHUP, as when a terminal window closes. */
    public void closeTerminal() {
        outer.kill();
    }

    public boolean agentTmuxAlive() {
        return agentTmux.alive();
    }

    /** The socket file of the agent's tmux, which tmux itself leaves behind when its server ends. */
    public Path agentTmuxSocket() {
        return agentTmuxSocket;
    }

    /** Root's home as the agent sees it. */
    public Path home() {
        return home;
    }

    /** The agent's own folder (keys, recordings, log) under root's home. */
    public Path stateFolder() {
        return home.resolve(".local/state/linbit-tunl");
    }

    @Override
    public void close() {
        agentTmux.kill();
        outer.kill();
    }

    private static String currentUid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
