package com.linbit.tunl.shell.join;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChatScreenTest {

    private final ChatScreen screen = new ChatScreen("swift-fox-jumps-barrel");

    @Test
    void headerShowsCaseModeViewersAndBothConnections() {
        screen.apply(ChatEvent.parse("status\tcase=4711\tmode=share\tviewers=2\tcustomer=connected"));
        assertThat(screen.header()).isEqualTo(
                "tunl swift-fox-jumps-barrel \u00b7 case 4711 \u00b7 share \u00b7 2 viewers \u00b7 customer connected \u00b7 relay connected");

        screen.apply(ChatEvent.parse("status\tcase=\tmode=\tviewers=1\tcustomer=waiting"));
        screen.relayLost();
        assertThat(screen.header()).isEqualTo(
                "tunl swift-fox-jumps-barrel \u00b7 1 viewer \u00b7 customer waiting \u00b7 relay connection lost");
    }

    @Test
    void enterSendsTheEditedLineAndEscapeSequencesAreIgnoredWhole() {
        type("hello wrld");
        screen.key(0x7f);
        screen.key(0x7f);
        screen.key(0x7f);
        type("orld");
        type("\u001b[A\u001bOB"); // arrow keys
        assertThat(screen.key('\r')).contains("hello world");
        assertThat(screen.key('\r')).as("an empty line sends nothing").isEmpty();

        type("gone");
        screen.key(0x15); // Ctrl-U
        type("  ");
        assertThat(screen.key('\r')).isEmpty();
    }

    @Test
    void backspaceRemovesWholeCharactersNotBytes() {
        type("grüß");
        screen.key(0x7f);
        assertThat(screen.key('\r')).contains("grü");
    }

    @Test
    void renderPinsTheHeaderAndShowsTheNewestLinesThatFit() {
        screen.resize(20, 5);
        for (int i = 1; i <= 5; i++) {
            screen.apply(new ChatEvent.Line("line " + i));
        }
        screen.apply(new ChatEvent.Line("a long line that wraps around"));
        type("typing");
        String drawn = screen.render();
        assertThat(drawn).contains("\u001b[7m tunl swift-fox-jump\u001b[0m")
                .contains("\u001b[2;1Hline 5\u001b[K")
                .contains("\u001b[3;1Ha long line that wra\u001b[K")
                .contains("\u001b[4;1Hps around\u001b[K")
                .endsWith("\u001b[5;1H> typing\u001b[K")
                .doesNotContain("line 4");
    }

    @Test
    void afterTheEndTheInputLineSaysHowToClose() {
        screen.apply(ChatEvent.parse("status\tcase=4711\tmode=share\tviewers=1\tcustomer=connected"));
        screen.apply(ChatEvent.parse("ended\tsession ended by customer"));
        assertThat(screen.isClosing()).isTrue();
        assertThat(screen.header()).isEqualTo("tunl swift-fox-jumps-barrel \u00b7 case 4711 \u00b7 share \u00b7 session ended");
        assertThat(screen.render()).contains("[tunl] session ended by customer").endsWith("press any key to close\u001b[K");
    }

    @Test
    void eventsFromANewerRelayAreSkippedAndChatLinesAreFormatted() {
        assertThat(ChatEvent.parse("tunnel\trequested")).isNull();
        assertThat(ChatEvent.parse("chat\tnot-a-time\talice\thi")).isEqualTo(new ChatEvent.Line("[--:--] alice: hi"));
        assertThat(ChatEvent.parse("notice\tcustomer reconnecting")).isEqualTo(new ChatEvent.Notice("customer reconnecting"));
        assertThat(ChatEvent.parse("status\tviewers=x")).isEqualTo(new ChatEvent.Status("", "", 0, ""));
    }

    private void type(String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            Optional<String> sent = screen.key(b & 0xff);
            assertThat(sent).isEmpty();
        }
    }
}
