package com.linbit.tunl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The real {@code linbit-tunl.jar}, run the way a customer runs it: in a terminal (a detached
 * tmux client of the test's own), with a temporary HOME. Closing kills both the test's tmux and
 * the agent's dedicated one.
 */
public final class CustomerAgent implements AutoCloseable {

    private final Tmux outer;
    private final Tmux agentTmux;
    private final Path home;

    private CustomerAgent(Tmux outer, Tmux agentTmux, Path home) {
        this.outer = outer;
        this.agentTmux = agentTmux;
        this.home = home;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("tunl.agent.jar", "../customer-agent/target/linbit-tunl.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agent jar not built: " + jar.toAbsolutePath());
        }
        return jar;
    }

    /** Starts {@code linbit-tunl [options] <id>} against the relay, trusting {@code caFile}. */
    public static CustomerAgent start(Path home, int relayPort, Path caFile, String sessionId, String... options) {
        return start(home, null, relayPort, caFile, sessionId, options);
    }

    /** As {@link #start(Path, int, Path, String, String...)}, with PATH set to {@code path} when not null. */
    public static CustomerAgent start(Path home, String path, int relayPort, Path caFile, String sessionId, String... options) {
        return start(home, path, java.util.Map.of(), relayPort, caFile, sessionId, options);
    }

    /** As {@link #start(Path, String, int, Path, String, String...)}, with further environment variables. */
    public static CustomerAgent start(Path home, String path, java.util.Map<String, String> environment, int relayPort,
                                      Path caFile, String sessionId, String... options) {
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("env", "HOME=" + home, "XDG_STATE_HOME=" + home.resolve("state")));
        if (path != null) {
            command.add("PATH=" + path);
        }
        environment.forEach((name, value) -> command.add(name + "=" + value));
        command.addAll(List.of(System.getProperty("java.home") + "/bin/java", "-jar", jar().toAbsolutePath().toString(),
                "--relay", "127.0.0.1:" + relayPort, "--relay-ca", caFile.toString()));
        command.addAll(List.of(options));
        command.add(sessionId);
        String line = "cd " + quote(home.toString()) + " && " + String.join(" ", command.stream().map(CustomerAgent::quote).toList())
                + "; echo AGENT-EXIT=$?; sleep 300";
        Tmux outer = new Tmux("tunl-test-" + UUID.randomUUID().toString().substring(0, 8));
        outer.run("new-session", "-d", "-x", "120", "-y", "40", line);
        return new CustomerAgent(outer, new Tmux("tunl-" + sessionId), home);
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

    /** Kills the agent process with SIGKILL (no cleanup, like a crash); its tmux stays. */
    public void killAgent() {
        String shell = outer.run("display-message", "-p", "-t", "0", "#{pane_pid}").strip();
        try {
            Process kill = new ProcessBuilder("pkill", "-KILL", "-P", shell).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("no agent process under the pane's shell " + shell);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Closes the customer's terminal only; the agent's tmux (and shell) live on. */
    public void closeTerminal() {
        outer.kill();
    }

    public boolean agentTmuxAlive() {
        return agentTmux.alive();
    }

    public Path home() {
        return home;
    }

    @Override
    public void close() {
        agentTmux.kill();
        outer.kill();
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
