package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The account the agent runs as, from the system's password database, never from {@code $HOME}:
 * run as root through {@code sudo -E}, the environment still names the invoking user's home, and a
 * root process writing there would follow whatever that user put in it. It is also the account a
 * granted tunnel logs in to, and sshd finds that account's authorized_keys through the same entry.
 */
record LocalAccount(int uid, String name, Path home) {

    private static final Path PASSWD = Path.of("/etc/passwd");
    private static final List<Path> GETENT = List.of(Path.of("/usr/bin/getent"), Path.of("/bin/getent"));

    /** The running (effective) user. */
    static LocalAccount current() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Optional<LocalAccount> entry = fromPasswd(uid, readPasswd());
        if (entry.isEmpty()) {
            entry = fromGetent(uid);
        }
        return entry.orElseThrow(() -> new IOException("user " + uid + " has no entry in the password database,"
                + " so linbit-tunl cannot tell its home folder"));
    }

    boolean isRoot() {
        return uid == 0;
    }

    /** The first {@code passwd(5)} line for {@code uid}, as glibc's files backend reads it. */
    static Optional<LocalAccount> fromPasswd(int uid, String passwd) {
        for (String line : passwd.split("\n")) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 7 && fields[2].equals(Integer.toString(uid)) && fields[5].startsWith("/")) {
                return Optional.of(new LocalAccount(uid, fields[0], Path.of(fields[5])));
            }
        }
        return Optional.empty();
    }

    private static String readPasswd() throws IOException {
        try {
            return Files.readString(PASSWD, StandardCharsets.UTF_8);
        } catch (NoSuchFileException | java.nio.charset.MalformedInputException e) {
            return "";
        }
    }

    /** Accounts from LDAP, SSSD and the like are not in /etc/passwd; getent asks NSS. */
    private static Optional<LocalAccount> fromGetent(int uid) {
        for (Path getent : GETENT) {
            if (!Files.isExecutable(getent)) {
                continue;
            }
            try {
                Process process = new ProcessBuilder(getent.toString(), "passwd", Integer.toString(uid))
                        .redirectErrorStream(true).start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return fromPasswd(uid, out);
                }
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
