package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The time zone sshd reads local times in: the system's ({@code /etc/localtime}), not the agent's
 * {@code TZ}, which is the customer's shell's and not sshd's. Found from the link's target, else
 * {@code /etc/timezone}, else a zoneinfo file with the same bytes; UTC when none tells (as glibc
 * does without {@code /etc/localtime}).
 */
final class SystemTimeZone {

    private static final Path LOCALTIME = Path.of("/etc/localtime");
    private static final Path TIMEZONE = Path.of("/etc/timezone");
    private static final Path ZONEINFO = Path.of("/usr/share/zoneinfo");

    private SystemTimeZone() {
    }

    static ZoneId read() {
        return fromLink().or(SystemTimeZone::fromTimezoneFile).or(SystemTimeZone::fromSameBytes).orElse(ZoneOffset.UTC);
    }

    /** {@code ../usr/share/zoneinfo/Europe/Vienna} names Europe/Vienna. */
    static Optional<ZoneId> zoneOfLinkTarget(String target) {
        int at = target.indexOf("zoneinfo/");
        if (at < 0) {
            return Optional.empty();
        }
        String name = target.substring(at + "zoneinfo/".length());
        if (name.startsWith("posix/")) {
            name = name.substring("posix/".length());
        }
        return zone(name);
    }

    private static Optional<ZoneId> fromLink() {
        try {
            if (Files.isSymbolicLink(LOCALTIME)) {
                return zoneOfLinkTarget(Files.readSymbolicLink(LOCALTIME).toString());
            }
        } catch (IOException e) {
            // told otherwise
        }
        return Optional.empty();
    }

    private static Optional<ZoneId> fromTimezoneFile() {
        try {
            if (Files.isRegularFile(TIMEZONE, LinkOption.NOFOLLOW_LINKS)) {
                return zone(Files.readString(TIMEZONE, StandardCharsets.US_ASCII).strip());
            }
        } catch (IOException e) {
            // told otherwise
        }
        return Optional.empty();
    }

    /** A copied /etc/localtime (common in containers): the zoneinfo file with the same bytes. */
    private static Optional<ZoneId> fromSameBytes() {
        try {
            if (!Files.isRegularFile(LOCALTIME) || !Files.isDirectory(ZONEINFO)) {
                return Optional.empty();
            }
            byte[] local = Files.readAllBytes(LOCALTIME);
            try (Stream<Path> files = Files.walk(ZONEINFO, 3)) {
                return files.filter(file -> !ZONEINFO.relativize(file).toString().startsWith("right/"))
                        .filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                        .filter(file -> sameBytes(file, local))
                        .map(file -> zone(ZONEINFO.relativize(file).toString().replaceFirst("^posix/", "")))
                        .flatMap(Optional::stream)
                        .findFirst();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean sameBytes(Path file, byte[] bytes) {
        try {
            return Files.size(file) == bytes.length && Arrays.equals(Files.readAllBytes(file), bytes);
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<ZoneId> zone(String name) {
        try {
            return Optional.of(ZoneId.of(name));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
