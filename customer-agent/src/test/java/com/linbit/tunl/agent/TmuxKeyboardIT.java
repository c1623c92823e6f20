package com.linbit.tunl.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Keys typed through the control-mode client reach a real tmux pane; a client tmux refuses is reported, not hung on. */
class TmuxKeyboardIT {

    @TempDir
    Path folder;

    private Tmux tmux;

    @BeforeEach
    void ownTmuxServer() throws Exception {
        // Its own socket and the agent's config, never the user's ~/.tmux.conf.
        tmux = new Tmux("tunl-keyboard-it-" + UUID.randomUUID().toString().substring(0, 8), folder.resolve("tmux.conf"));
        tmux.writeConfig();
    }

    @AfterEach
    void stopTmux() {
        tmux.killServer();
    }

    @Test
    void keysTypedThroughTheControlClientArriveInThePane() throws Exception {
        String pane = tmux.newSession(folder, 80, 24);
        tmux.sendBytes(pane, "printf 'typed-%s\\n' through-control\r".getBytes());

        long deadline = System.currentTimeMillis() + 10_000;
        while (!tmux.capture(pane).text().contains("typed-through-control") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(tmux.capture(pane).text()).contains("typed-through-control");
        assertThat(tmux.run(List.of("list-clients", "-F", "#{client_flags}")).stdout())
                .as("one control client that neither sizes the window nor receives output")
                .contains("control-mode", "no-output", "ignore-size");
    }

    @Test
    void aControlClientTmuxRefusesIsReportedSoTheCallerFallsBack() throws Exception {
        tmux.newSession(folder, 80, 24);
        TmuxKeyboard refused = new TmuxKeyboard(() -> new ProcessBuilder("tmux", "-L", "tunl-no-such-server-" + UUID.randomUUID(),
                "-C", "attach-session", "-t", Tmux.SESSION));

        assertThat(refused.type("send-keys -t tunl -H 61")).isFalse();
        assertThat(refused.type("send-keys -t tunl -H 62")).as("not tried again").isFalse();
    }
}
