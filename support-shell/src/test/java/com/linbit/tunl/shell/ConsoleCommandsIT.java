package com.linbit.tunl.shell;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.shell.relay.Relay;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.test.ShellTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The console's commands in their interactive form, through Spring Shell's test client, against
 * the real relay jar on real (embedded) PostgreSQL. The console sees a temporary HOME.
 */
@SpringBootTest(classes = {TunlShellApplication.class, ConsoleCommandsIT.EngineerEnvironment.class},
        properties = "spring.shell.interactive.enabled=false")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleCommandsIT {

    @TempDir
    static Path temp;
    static RelayProcess relay;
    static Path home;
    static Path ca;

    @Autowired
    CommandParser parser;
    @Autowired
    CommandRegistry registry;
    @Autowired
    Relay console;

    @BeforeAll
    static void startRelay() throws Exception {
        relay = RelayProcess.start(temp.resolve("relay"));
        home = Processes.engineerHome(temp.resolve("alice"));
        relay.register("alice", home.resolve(".ssh/id_ed25519.pub"));
        ca = relay.saveCa(temp.resolve("relay-ca.pub"));
    }

    @AfterAll
    static void stopRelay() throws Exception {
        if (relay != null) {
            relay.close();
        }
    }

    /** Spring Shell's line history goes next to the (temporary) config, not into the working folder. */
    @DynamicPropertySource
    static void shellFiles(DynamicPropertyRegistry registry) {
        registry.add("spring.shell.config.location", () -> temp.resolve("shell-config").toString());
    }

    @TestConfiguration
    static class EngineerEnvironment {
        @Bean
        @Primary
        Relay engineerRelay() {
            return new Relay(Map.of("HOME", home.toString(), "USER", "alice"));
        }
    }

    /** Never the real user's HOME: every command must see the temporary one. */
    @BeforeEach
    void consoleSeesTheTemporaryHome() {
        assertThat(console.environment()).containsEntry("HOME", home.toString());
    }

    @Test
    @Order(1)
    void everyCommandAtThePromptFromUnconfiguredToChat() throws Exception {
        ShellTestClient shell = new ShellTestClient(parser, registry);

        assertThat(screen(shell, "sessions")).contains("tunl is not set up yet: run setup --relay HOST:PORT --ca-file FILE");
        assertThat(screen(shell, "setup --relay 127.0.0.1:" + relay.sshPort() + " --ca-file " + ca))
                .contains("tunl is set up: relay 127.0.0.1:" + relay.sshPort() + " as alice");
        assertThat(screen(shell, "whoami")).startsWith("alice\n").contains("key SHA256:");

        String created = screen(shell, "create-session --case 4711 --note \"disk full\"");
        String id = created.lines().findFirst().orElseThrow();
        assertThat(created).contains("linbit-tunl " + id);
        assertThat(screen(shell, "sessions")).containsPattern(id + "\\s+waiting\\s+4711\\s+alice");
        assertThat(screen(shell, "chat " + id + " is the disk still full?")).contains("sent");
        assertThat(screen(shell, "history --mine --limit 3")).startsWith("ID ");
        assertThat(screen(shell, "help")).contains("join", "chat", "create-session", "sessions", "history", "whoami", "setup");

        assertThatThrownBy(() -> screen(shell, "chat quiet-lemon-sings-harbor hello"))
                .rootCause().hasMessageContaining("no open session quiet-lemon-sings-harbor");
    }

    @Test
    @Order(2)
    void sessionIdsCompleteFromTheRelayForJoinAndChat() throws Exception {
        ShellTestClient shell = new ShellTestClient(parser, registry);
        screen(shell, "setup --relay 127.0.0.1:" + relay.sshPort() + " --ca-file " + ca);
        String id = screen(shell, "create-session --case 77").lines().findFirst().orElseThrow();
        String prefix = id.substring(0, 3);

        for (String name : List.of("join", "chat")) {
            Command command = registry.getCommandByName(name);
            List<String> proposed = command.getCompletionProvider()
                    .apply(new CompletionContext(List.of(name, prefix), 1, prefix.length(), command, null))
                    .stream().map(CompletionProposal::value).toList();
            assertThat(proposed).as(name).contains(id).allMatch(value -> value.startsWith(prefix));
        }
        Command chat = registry.getCommandByName("chat");
        assertThat(chat.getCompletionProvider().apply(new CompletionContext(List.of("chat", id, ""), 2, 0, chat, null)))
                .as("only the first argument is a session ID").isEmpty();
    }

    private static String screen(ShellTestClient shell, String input) throws Exception {
        return String.join("\n", shell.sendCommand(input).lines()) + "\n";
    }
}
