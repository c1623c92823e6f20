package com.linbit.tunl.shell.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.linbit.tunl.client.RelayAddress;

/**
 * The console's settings: {@code $XDG_CONFIG_HOME/tunl/config} (default {@code ~/.config/tunl/config}),
 * a {@code key=value} file written by {@code tunl setup}, each key overridable by the environment
 * ({@code TUNL_RELAY}, {@code TUNL_USER}, {@code TUNL_IDENTITY}, {@code TUNL_RELAY_CA}).
 */
public record ShellConfig(RelayAddress relay, String user, Path identity, Path caFile) {

    public static final int DEFAULT_PORT = 443;
    private static final List<String> DEFAULT_IDENTITIES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    /** Where the file lives for this environment. */
    public static Path file(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home(env).resolve(".config");
        return base.resolve("tunl").resolve("config");
    }

    /**
     * The configuration, or empty when the relay or its CA is not known yet: then every relay
     * command tells the engineer to run {@code setup}.
     */
    public static Optional<ShellConfig> load(Map<String, String> env) throws IOException {
        Properties stored = new Properties();
        Path file = file(env);
        if (Files.isRegularFile(file)) {
            try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                stored.load(reader);
            }
        }
        String relay = pick(env.get("TUNL_RELAY"), stored.getProperty("relay"));
        String ca = pick(env.get("TUNL_RELAY_CA"), stored.getProperty("ca-file"));
        if (relay == null || ca == null) {
            return Optional.empty();
        }
        String user = pick(env.get("TUNL_USER"), stored.getProperty("user"));
        String identity = pick(env.get("TUNL_IDENTITY"), stored.getProperty("identity"));
        return Optional.of(new ShellConfig(RelayAddress.parse(relay, DEFAULT_PORT),
                user != null ? user : env.getOrDefault("USER", System.getProperty("user.name")),
                identity != null ? Path.of(identity) : defaultIdentity(env),
                Path.of(ca)));
    }

    /** Writes the file (0600 in a 0700 folder), replacing what was there. */
    public void save(Map<String, String> env) throws IOException {
        Path file = file(env);
        Files.createDirectories(file.getParent());
        Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
        String text = "# written by tunl setup\n"
                + "relay=" + relay + "\n"
                + "user=" + user + "\n"
                + (identity != null ? "identity=" + identity + "\n" : "")
                + "ca-file=" + caFile + "\n";
        Path partial = file.resolveSibling("config.tmp");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The first of {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} that exists. */
    static Path defaultIdentity(Map<String, String> env) {
        Path ssh = home(env).resolve(".ssh");
        for (String name : DEFAULT_IDENTITIES) {
            if (Files.isRegularFile(ssh.resolve(name))) {
                return ssh.resolve(name);
            }
        }
        return null;
    }

    private static Path home(Map<String, String> env) {
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
    }

    private static String pick(String override, String stored) {
        if (override != null && !override.isBlank()) {
            return override.strip();
        }
        return stored == null || stored.isBlank() ? null : stored.strip();
    }
}
