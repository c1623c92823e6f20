package com.linbit.tunl.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an authorized_keys line says until when it works, in the form the local sshd reads, for an
 * sshd that rejects the whole line over an option it does not know: {@code expiry-time="…Z"} (UTC)
 * from OpenSSH 8.7; {@code expiry-time="…"} in the system time zone from 7.7; none before 7.7,
 * where removing the line (on revoke, at the end, at the next start) is the only limit. The version
 * comes from the banner the sshd sends on connect, e.g. {@code SSH-2.0-OpenSSH_8.0}.
 */
record KeyExpiry(Form form, ZoneId zone) {

    enum Form { UTC, LOCAL_TIME, NONE }

    static final KeyExpiry UTC = new KeyExpiry(Form.UTC, ZoneOffset.UTC);

    private static final Pattern OPENSSH = Pattern.compile("SSH-2\\.0-OpenSSH_(\\d+)\\.(\\d+)\\S*(?: .*)?");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT);
    private static final int BANNER_TIMEOUT_MILLIS = 3000;
    private static final int LONGEST_LINE = 255;

    /**
     * The form for the sshd that sent {@code banner}; empty when no sshd answered, for which the local
     * time form is used (every supported sshd from 7.7 on reads it).
     */
    static KeyExpiry forBanner(Optional<String> banner, ZoneId systemZone) {
        if (banner.isEmpty()) {
            return new KeyExpiry(Form.LOCAL_TIME, systemZone);
        }
        Matcher version = OPENSSH.matcher(banner.get());
        if (!version.matches()) {
            // Not OpenSSH (dropbear, say): an option it may not know would cost the whole line.
            return new KeyExpiry(Form.NONE, systemZone);
        }
        int major = Integer.parseInt(version.group(1));
        int minor = Integer.parseInt(version.group(2));
        if (major > 8 || (major == 8 && minor >= 7)) {
            return UTC;
        }
        if (major > 7 || (major == 7 && minor >= 7)) {
            return new KeyExpiry(Form.LOCAL_TIME, systemZone);
        }
        return new KeyExpiry(Form.NONE, systemZone);
    }

    /** The form the sshd on this machine's {@code port} reads. */
    static KeyExpiry forLocalSshd(int port) {
        return forBanner(banner(port), SystemTimeZone.read());
    }

    /** The option and its separating space, or nothing for an sshd without expiry-time. */
    String option(Instant at) {
        return switch (form) {
            case UTC -> "expiry-time=\"" + FORMAT.format(at.atZone(ZoneOffset.UTC)) + "Z\" ";
            case LOCAL_TIME -> "expiry-time=\"" + FORMAT.format(at.atZone(zone)) + "\" ";
            case NONE -> "";
        };
    }

    /** The SSH identification line of whatever listens on 127.0.0.1:{@code port}; empty when none came. */
    static Optional<String> banner(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BANNER_TIMEOUT_MILLIS);
            socket.setSoTimeout(BANNER_TIMEOUT_MILLIS);
            InputStream in = socket.getInputStream();
            // A server may send other lines before its identification (RFC 4253, 4.2).
            for (int lines = 0; lines < 20; lines++) {
                String line = readLine(in);
                if (line == null) {
                    return Optional.empty();
                }
                if (line.startsWith("SSH-")) {
                    return Optional.of(line);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.length() >= LONGEST_LINE) {
                return null;
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return b < 0 && line.length() == 0 ? null : line.toString();
    }
}
