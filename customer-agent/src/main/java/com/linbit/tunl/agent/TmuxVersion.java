package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The installed tmux, read once from {@code tmux -V}, and what the agent may ask of it. Features by
 * the release that brought them ({@code ../shared/notes/customer-platforms.md}): {@code pipe-pane -O}
 * and {@code exit-empty} 2.7 (the floor for sharing a shell), {@code send-keys -H} 3.0, a control
 * client that neither receives output nor sizes the window ({@code attach -f no-output,ignore-size})
 * 3.2. Builds that name no release ({@code master}, {@code next-3.6}, {@code openbsd-7.5}) are taken
 * as recent.
 */
record TmuxVersion(int major, int minor, String shown) {

    /** Share and restricted mode need this tmux or newer. */
    static final TmuxVersion FLOOR = new TmuxVersion(2, 7, "2.7");
    /** Forces a keystroke path (a test of an older tmux's path on the system tmux): {@code key-codes}, {@code send-keys}. */
    static final String KEYSTROKES_PROPERTY = "tunl.tmux.keystrokes";

    private static final Pattern RELEASE = Pattern.compile("tmux (?:next-)?(\\d+)\\.(\\d+)[a-z]?(?:-rc\\d*)?");
    private static final TmuxVersion RECENT = new TmuxVersion(Integer.MAX_VALUE, 0, "");

    /** How engineers' keystrokes reach the shared pane. */
    enum Keystrokes {
        /** One long-lived control-mode client, a line per keystroke (tmux 3.2). */
        CONTROL_CLIENT,
        /** A {@code send-keys -H} process per keystroke (tmux 3.0). */
        SEND_KEYS_HEX,
        /** A {@code send-keys 0xNN ...} process per keystroke: key codes, UTF-8 text only (tmux 2.7). */
        KEY_CODES
    }

    /** What {@code tmux -V} printed, e.g. {@code tmux 3.3a}; a build without a release number counts as recent. */
    static TmuxVersion parse(String output) {
        String line = output.strip();
        Matcher release = RELEASE.matcher(line);
        if (release.matches()) {
            return new TmuxVersion(Integer.parseInt(release.group(1)), Integer.parseInt(release.group(2)),
                    line.substring("tmux ".length()));
        }
        return new TmuxVersion(RECENT.major, RECENT.minor, line.startsWith("tmux ") ? line.substring(5) : line);
    }

    /** The tmux on PATH, or empty when there is none. */
    static Optional<TmuxVersion> installed() {
        try {
            Process probe = Tmux.environment(new ProcessBuilder("tmux", "-V")).redirectErrorStream(true).start();
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0 && output.startsWith("tmux ")) {
                return Optional.of(parse(output));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    boolean atLeast(int wantedMajor, int wantedMinor) {
        return major > wantedMajor || (major == wantedMajor && minor >= wantedMinor);
    }

    boolean canShare() {
        return atLeast(FLOOR.major, FLOOR.minor);
    }

    /** The keystroke path this tmux offers, unless {@link #KEYSTROKES_PROPERTY} forces an older one. */
    Keystrokes keystrokes() {
        Keystrokes offered = atLeast(3, 2) ? Keystrokes.CONTROL_CLIENT
                : atLeast(3, 0) ? Keystrokes.SEND_KEYS_HEX : Keystrokes.KEY_CODES;
        String forced = System.getProperty(KEYSTROKES_PROPERTY, "");
        return switch (forced.toLowerCase(Locale.ROOT)) {
            case "key-codes" -> Keystrokes.KEY_CODES;
            case "send-keys" -> offered == Keystrokes.KEY_CODES ? offered : Keystrokes.SEND_KEYS_HEX;
            default -> offered;
        };
    }

    @Override
    public String toString() {
        return "tmux " + shown;
    }
}
