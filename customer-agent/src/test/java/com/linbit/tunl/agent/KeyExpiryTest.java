package com.linbit.tunl.agent;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyExpiryTest {

    private static final Instant AT = Instant.parse("2030-07-02T03:04:05Z");
    private static final ZoneId VIENNA = ZoneId.of("Europe/Vienna");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3 | expiry-time=\"20300702030405Z\" ",
        "SSH-2.0-OpenSSH_8.7                    | expiry-time=\"20300702030405Z\" ",
        "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u3 | expiry-time=\"20300702050405\" ",
        "SSH-2.0-OpenSSH_8.0                    | expiry-time=\"20300702050405\" ",
        "SSH-2.0-OpenSSH_7.7                    | expiry-time=\"20300702050405\" ",
        "SSH-2.0-OpenSSH_7.4                    |",
        "SSH-2.0-dropbear_2020.81               |",
        "SSH-2.0-OpenSSH_10.0                   | expiry-time=\"20300702030405Z\" ",
    })
    void theExpiryTakesTheFormTheLocalSshdReads(String banner, String option) {
        String expected = option == null ? "" : option + " ";
        assertThat(KeyExpiry.forBanner(Optional.of(banner), VIENNA).option(AT)).isEqualTo(expected);
    }

    @Test
    void withNoSshdAnsweringTheLocalTimeFormServesEverySshdFrom77() {
        assertThat(KeyExpiry.forBanner(Optional.empty(), ZoneOffset.UTC).option(AT)).isEqualTo("expiry-time=\"20300702030405\" ");
    }

    @Test
    void theBannerIsReadFromWhatListensOnTheLocalPort() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                    out.write("a greeting first\r\nSSH-2.0-OpenSSH_8.0\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(200);
                } catch (Exception ignored) {
                    // the test reads what it got
                }
            });
            answering.start();
            assertThat(KeyExpiry.banner(server.getLocalPort())).contains("SSH-2.0-OpenSSH_8.0");
            answering.join();
        }
        int closed;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = gone.getLocalPort();
        }
        assertThat(KeyExpiry.banner(closed)).isEmpty();
    }

    @Test
    void theSystemZoneIsNamedByTheLinkTarget() {
        assertThat(SystemTimeZone.zoneOfLinkTarget("../usr/share/zoneinfo/Europe/Vienna")).contains(VIENNA);
        assertThat(SystemTimeZone.zoneOfLinkTarget("/usr/share/zoneinfo/posix/America/New_York"))
                .contains(ZoneId.of("America/New_York"));
        assertThat(SystemTimeZone.zoneOfLinkTarget("/usr/share/zoneinfo/Etc/UTC")).contains(ZoneId.of("Etc/UTC"));
        assertThat(SystemTimeZone.zoneOfLinkTarget("/etc/somewhere")).isEmpty();
    }
}
