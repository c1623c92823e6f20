package com.linbit.tunl.agent;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScreenTest {

    private static final Tmux.Screen SCREEN = new Tmux.Screen("top\nmiddle\n$ prompt\n", 8, 2, 20, 3);

    @Test
    void aRepaintClearsDrawsEveryRowAndPlacesTheCursor() {
        assertThat(new String(SCREEN.repaint(), StandardCharsets.UTF_8)).isEqualTo(
                "\u001b[0m\u001b[H\u001b[2Jtop\u001b[0m\r\nmiddle\u001b[0m\r\n$ prompt\u001b[0m\u001b[3;9H");
    }

    @Test
    void aRepaintTooLargeForItsLimitKeepsTheLowestRowsThatFit() {
        int limit = SCREEN.repaint().length - "top".length();

        byte[] cut = SCREEN.repaint(limit);

        assertThat(cut.length).isLessThanOrEqualTo(limit);
        assertThat(new String(cut, StandardCharsets.UTF_8)).isEqualTo(
                "\u001b[0m\u001b[H\u001b[2J\r\nmiddle\u001b[0m\r\n$ prompt\u001b[0m\u001b[3;9H");
        assertThat(SCREEN.repaint(5)).as("not even the cursor fits").isNull();
    }
}
