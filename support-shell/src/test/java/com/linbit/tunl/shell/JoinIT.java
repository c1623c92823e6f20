package com.linbit.tunl.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.testing.CustomerAgent;
import com.linbit.tunl.testing.Tmux;

import static com.linbit.tunl.shell.Processes.tunl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code tunl join} as an engineer uses it: the console in a terminal (a tmux pane), the real
 * agent in another terminal driving its own tmux, the real relay jar between them.
 */
class JoinIT {

    private static final Duration PATIENCE = Duration.ofSeconds(45);

    @TempDir
    static Path temp;
    static RelayProcess relay;
    static Path home;
    static Path ca;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        relay = RelayProcess.start(temp.resolve("relay"));
        home = Processes.engineerHome(temp.resolve("alice"));
        relay.register("alice", home.resolve(".ssh/id_ed25519.pub"));
        ca = relay.saveCa(temp.resolve("relay-ca.pub"));
        Processes.Result setup = tunl(home, "setup", "--relay", "127.0.0.1:" + relay.sshPort(), "--ca-file", ca.toString());
        assertThat(setup.exit()).as(setup.all()).isZero();
    }

    @AfterAll
    static void stopRelay() throws Exception {
        if (relay != null) {
            relay.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    @Test
    void joinMirrorsTheSharedShellCarriesTheChatAndClosesWhenTheCustomerEnds() throws Exception {
        String id = createSession();
        CustomerAgent customer = connectedCustomer(id);
        Path runtime = runtimeFolder();
        Tmux engineer = engineerTerminal(runtime, "join", id);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen(engineer)).contains("0:shell", "1:chat", "Ctrl-b d leave"));

        String marker = UUID.randomUUID().toString().substring(0, 8);
        engineer.type("0", "-l", "echo tunl-$((40+2))-" + marker);
        engineer.type("0", "Enter");
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(customer.shellPane()).contains("tunl-42-" + marker);
            assertThat(screen(engineer)).contains("tunl-42-" + marker);
        });

        engineer.type("0", "C-b", "1");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen(engineer))
                .contains("tunl " + id + " \u00b7 case 4711 \u00b7 share \u00b7 1 viewer \u00b7 customer connected \u00b7 relay connected"));
        engineer.type("0", "-l", "hello from window one");
        engineer.type("0", "Enter");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("alice: hello from window one"));
        customer.typeInChat("thanks from the customer");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen(engineer)).contains("customer: thanks from the customer"));

        customer.press("C-b", "Q");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen(engineer))
                .contains("[tunl] session ended by customer", "press any key to close"));
        engineer.type("0", "C-b", "0");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen(engineer)).contains("[tunl] press any key to close"));
        engineer.type("0", "x");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen(engineer))
                .contains("session ended by customer\nJOIN-EXIT=0"));
        assertThat(leftovers(runtime)).as("the local tmux's folder, sockets and server are gone").isEmpty();
    }

    @Test
    void joinRejoinsOnItsOwnWhenTheRelayRestarts() throws Exception {
        String id = createSession();
        CustomerAgent customer = connectedCustomer(id);
        Path runtime = runtimeFolder();
        Tmux engineer = engineerTerminal(runtime, "join", id);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen(engineer)).contains("0:shell", "1:chat"));

        relay = relay.restart();
        Duration restart = Duration.ofSeconds(120);
        await().atMost(restart).untilAsserted(() -> assertThat(screen(engineer))
                .contains("the connection to the relay was lost; reconnecting"));
        await().atMost(restart).untilAsserted(() -> assertThat(customer.chatPane()).contains("reconnected to the relay"));
        customer.typeInShell("echo after-the-relay-restart-$((3*3))");
        await().atMost(restart).untilAsserted(() -> assertThat(screen(engineer)).contains("after-the-relay-restart-9"));
        engineer.type("0", "C-b", "1");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen(engineer)).contains("customer connected \u00b7 relay connected"));
        engineer.type("0", "C-b", "d");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen(engineer)).contains("JOIN-EXIT=0"));
        assertThat(leftovers(runtime)).isEmpty();
    }

    @Test
    void leavingWithCtrlBDLeavesTheSessionRunning() throws Exception {
        String id = createSession();
        CustomerAgent customer = connectedCustomer(id);
        Path runtime = runtimeFolder();
        Tmux engineer = engineerTerminal(runtime, "join", id);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("alice joined", "1v"));

        engineer.type("0", "C-b", "d");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen(engineer))
                .contains("left " + id + "; the session goes on\nJOIN-EXIT=0"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("alice left", "0v"));
        assertThat(customer.agentTmuxAlive()).isTrue();
        assertThat(leftovers(runtime)).isEmpty();
    }

    @Test
    void unknownSessionsAndMissingTerminalsAreRefusedClearly() throws Exception {
        Processes.Result noTerminal = tunl(home, "join", "quiet-lemon-sings-harbor");
        assertThat(noTerminal.exit()).isEqualTo(1);
        assertThat(noTerminal.stderr()).contains("tunl: join needs a terminal");

        Path runtime = runtimeFolder();
        Tmux engineer = engineerTerminal(runtime, "join", "quiet-lemon-sings-harbor");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen(engineer))
                .contains("tunl: no open session quiet-lemon-sings-harbor", "JOIN-EXIT=1"));
        assertThat(leftovers(runtime)).isEmpty();
    }

    private String createSession() throws Exception {
        Processes.Result created = tunl(home, "create-session", "--case", "4711");
        assertThat(created.exit()).as(created.all()).isZero();
        return created.stdout().lines().findFirst().orElseThrow();
    }

    private CustomerAgent connectedCustomer(String id) {
        CustomerAgent customer = CustomerAgent.start(temp.resolve("customer-" + id), relay.sshPort(), ca, id);
        cleanup.add(customer);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane())
                .as(customer::terminal).contains("relay connected"));
        return customer;
    }

    /** The engineer's terminal: a tmux pane running {@code tunl ARGS}, with the join's files under {@code runtime}. */
    private Tmux engineerTerminal(Path runtime, String... args) {
        Tmux terminal = new Tmux("tunl-engineer-" + UUID.randomUUID().toString().substring(0, 8));
        cleanup.add(terminal::kill);
        List<String> command = new ArrayList<>(Processes.tunlCommand(home, "XDG_RUNTIME_DIR=" + runtime));
        command.addAll(List.of(args));
        terminal.run("new-session", "-d", "-x", "120", "-y", "40",
                Processes.shellQuote(command) + "; echo JOIN-EXIT=$?; sleep 120");
        return terminal;
    }

    private static String screen(Tmux terminal) {
        return terminal.screen("0");
    }

    private static Path runtimeFolder() throws Exception {
        return Files.createDirectories(temp.resolve("run-" + UUID.randomUUID().toString().substring(0, 8)),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static List<Path> leftovers(Path runtime) throws Exception {
        try (Stream<Path> files = Files.list(runtime)) {
            return files.toList();
        }
    }
}
