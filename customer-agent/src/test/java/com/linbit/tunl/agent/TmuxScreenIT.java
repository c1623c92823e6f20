package com.linbit.tunl.agent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.protocol.Limits;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot of a huge, colourful terminal still fits one frame: plain text where the colours make
 * it too large, and only the lowest rows where even that does not fit.
 */
class TmuxScreenIT {

    @TempDir
    Path folder;

    private Tmux tmux;

    @AfterEach
    void stopTmux() {
        if (tmux != null) {
            tmux.killServer();
        }
    }

    @Test
    void aScreenTooLargeInColourIsSentPlainAndOneTooLargeEvenSoKeepsItsLowestRows() throws Exception {
        tmux = new Tmux("tunl-screen-it-" + UUID.randomUUID().toString().substring(0, 8), folder.resolve("tmux.conf"),
                TmuxVersion.Keystrokes.SEND_KEYS_HEX);
        tmux.writeConfig();
        String pane = tmux.newSession(folder, 1000, 300);
        // Every cell in a colour of its own: about 12 bytes a cell as tmux captures it with -e.
        Path painter = Files.writeString(folder.resolve("paint.awk"), """
                BEGIN {
                  for (i = 0; i < 299; i++) {
                    line = ""
                    for (j = 0; j < 1000; j++) line = line sprintf("\\033[38;5;%dm#", (i + j) % 256)
                    print line
                  }
                  printf "bottom-row-done"
                }
                """, StandardCharsets.UTF_8);
        tmux.respawn(pane, List.of("/bin/sh", "-c", "awk -f " + painter + "; exec sleep 600"));
        long deadline = System.currentTimeMillis() + 30_000;
        while (!tmux.capture(pane, false).text().contains("bottom-row-done") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(tmux.capture(pane, true).repaint().length).as("too large for a frame in colour").isGreaterThan(Limits.MAX_SNAPSHOT_SCREEN);

        Tmux.Repaint plain = tmux.repaint(pane, Limits.MAX_SNAPSHOT_SCREEN);
        assertThat(plain.bytes().length).isLessThanOrEqualTo(Limits.MAX_SNAPSHOT_SCREEN);
        String text = new String(plain.bytes(), StandardCharsets.UTF_8);
        assertThat(text).as("plain text, every row").contains("bottom-row-done").doesNotContain("38;5;");
        assertThat(java.util.regex.Pattern.compile("#{1000}").matcher(text).results().count()).isEqualTo(299);

        Tmux.Repaint lowest = tmux.repaint(pane, 50_000);
        assertThat(lowest.bytes().length).isLessThanOrEqualTo(50_000);
        assertThat(new String(lowest.bytes(), StandardCharsets.UTF_8)).as("the rows at the bottom, where the prompt is")
                .contains("bottom-row-done").endsWith("\u001b[300;16H");
    }
}
