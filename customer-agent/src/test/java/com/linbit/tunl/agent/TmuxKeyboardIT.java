package com.linbit.tunl.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Engineers' keys reach a real tmux pane byte for byte on every keystroke path the agent picks by
 * tmux version, each forced on the system tmux: the control client (3.2), {@code send-keys -H}
 * (3.0) and hex key codes (2.7, UTF-8 text only); a control client tmux refuses is reported, not
 * hung on.
 */
class TmuxKeyboardIT {

    /** ESC sequences (cursor up, F1), ^C, ^D, DEL, a tab, and UTF-8 of two, three and four bytes. */
    private static final byte[] KEYS = concat("a\u001b[A\u001bOP\u0003\u0004\u007f\tb".getBytes(StandardCharsets.US_ASCII),
            "\u00e9\u20ac\ud834\udd1e\r".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path folder;

    private Tmux tmux;

    @AfterEach
    void stopTmux() {
        if (tmux != null) {
            tmux.killServer();
        }
    }

    @ParameterizedTest
    @EnumSource(TmuxVersion.Keystrokes.class)
    void everyKeystrokePathTypesEscapeSequencesControlKeysDelAndUtf8ByteForByte(TmuxVersion.Keystrokes path) throws Exception {
        tmux = server(path);
        String pane = plainShell();
        Path received = folder.resolve("received");
        // Raw mode: the terminal hands every byte on as it came (no ^C signal, no CR to NL).
        assertThat(tmux.sendBytes(pane, ("stty raw -echo; head -c " + KEYS.length + " > " + received + "; stty sane; echo got-them\r")
                .getBytes(StandardCharsets.US_ASCII))).isZero();
        awaitTrue(() -> tmux.display(pane, "#{pane_current_command}").equals("head"));

        assertThat(tmux.sendBytes(pane, KEYS)).isZero();

        awaitTrue(() -> tmux.capture(pane, false).text().contains("got-them"));
        assertThat(Files.readAllBytes(received)).isEqualTo(KEYS);
        if (path == TmuxVersion.Keystrokes.CONTROL_CLIENT) {
            assertThat(tmux.run(List.of("list-clients", "-F", "#{client_flags}")).stdout())
                    .as("one control client that neither sizes the window nor receives output")
                    .contains("control-mode", "no-output", "ignore-size");
        }
    }

    @Test
    void keyCodesLeaveOutWhatIsNotUtf8AndSayHowMuch() throws Exception {
        tmux = server(TmuxVersion.Keystrokes.KEY_CODES);
        String pane = plainShell();
        Path received = folder.resolve("received");
        tmux.sendBytes(pane, ("stty raw -echo; head -c 4 > " + received + "; stty sane; echo got-them\r").getBytes(StandardCharsets.US_ASCII));
        awaitTrue(() -> tmux.display(pane, "#{pane_current_command}").equals("head"));

        assertThat(tmux.sendBytes(pane, new byte[] {'o', (byte) 0xff, 'k', (byte) 0xc3, '!', '\r'})).isEqualTo(2);

        awaitTrue(() -> tmux.capture(pane, false).text().contains("got-them"));
        assertThat(Files.readString(received)).isEqualTo("ok!\r");
    }

    @Test
    void aControlClientTmuxRefusesIsReportedSoTheCallerFallsBack() throws Exception {
        tmux = server(TmuxVersion.Keystrokes.CONTROL_CLIENT);
        tmux.newSession(folder, 80, 24);
        String socket = "tunl-no-such-server-" + UUID.randomUUID();
        Tmux none = new Tmux(socket, null, TmuxVersion.Keystrokes.CONTROL_CLIENT);
        TmuxKeyboard refused = new TmuxKeyboard(() -> new ProcessBuilder("tmux", "-L", socket,
                "-C", "attach-session", "-t", Tmux.SESSION));
        try {
            assertThat(refused.type("send-keys -t tunl -H 61")).isFalse();
            assertThat(refused.type("send-keys -t tunl -H 62")).as("not tried again").isFalse();
        } finally {
            none.killServer();
        }
    }

    /** A pane running plain sh: what the test types must not wait for the user's login scripts. */
    private String plainShell() throws Exception {
        String pane = tmux.newSession(folder, 80, 24);
        tmux.respawn(pane, List.of("/bin/sh"));
        return pane;
    }

    /** A server of its own: its own socket and the agent's config, never the user's ~/.tmux.conf. */
    private Tmux server(TmuxVersion.Keystrokes path) throws Exception {
        Tmux server = new Tmux("tunl-keyboard-it-" + UUID.randomUUID().toString().substring(0, 8), folder.resolve("tmux.conf"), path);
        server.writeConfig();
        return server;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!check.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 10 s");
            }
            Thread.sleep(50);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(first);
        both.writeBytes(second);
        return both.toByteArray();
    }
}
