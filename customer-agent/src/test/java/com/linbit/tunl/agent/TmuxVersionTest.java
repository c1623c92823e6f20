package com.linbit.tunl.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TmuxVersionTest {

    @AfterEach
    void noForcedPath() {
        System.clearProperty(TmuxVersion.KEYSTROKES_PROPERTY);
    }

    @ParameterizedTest
    @CsvSource({
        "tmux 1.8,       false, KEY_CODES",
        "tmux 2.6,       false, KEY_CODES",
        "tmux 2.7,       true,  KEY_CODES",
        "tmux 2.9a,      true,  KEY_CODES",
        "tmux 3.0a,      true,  SEND_KEYS_HEX",
        "tmux 3.1c,      true,  SEND_KEYS_HEX",
        "tmux 3.2-rc3,   true,  CONTROL_CLIENT",
        "tmux 3.3a,      true,  CONTROL_CLIENT",
        "tmux next-3.6,  true,  CONTROL_CLIENT",
        "tmux master,    true,  CONTROL_CLIENT",
        "tmux openbsd-7.5, true, CONTROL_CLIENT",
    })
    void eachReleaseGetsTheKeystrokePathItHas(String output, boolean canShare, TmuxVersion.Keystrokes keystrokes) {
        TmuxVersion version = TmuxVersion.parse(output + "\n");
        assertThat(version.canShare()).isEqualTo(canShare);
        assertThat(version.keystrokes()).isEqualTo(keystrokes);
        assertThat(version).hasToString(output);
    }

    @Test
    void aSettingForcesAnOlderPathNeverANewerOne() {
        System.setProperty(TmuxVersion.KEYSTROKES_PROPERTY, "key-codes");
        assertThat(TmuxVersion.parse("tmux 3.3a").keystrokes()).isEqualTo(TmuxVersion.Keystrokes.KEY_CODES);
        System.setProperty(TmuxVersion.KEYSTROKES_PROPERTY, "send-keys");
        assertThat(TmuxVersion.parse("tmux 3.3a").keystrokes()).isEqualTo(TmuxVersion.Keystrokes.SEND_KEYS_HEX);
        assertThat(TmuxVersion.parse("tmux 2.7").keystrokes()).isEqualTo(TmuxVersion.Keystrokes.KEY_CODES);
    }

    @Test
    void theInstalledTmuxIsReadFromTmuxV() {
        assertThat(TmuxVersion.installed()).as("the tests run with tmux installed").isPresent()
                .get().satisfies(version -> assertThat(version.canShare()).isTrue());
    }
}
