package com.linbit.tunl.shell.join;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a join keeps its local tmux's config and the windows' sockets: a folder only this user can
 * enter, in {@code $XDG_RUNTIME_DIR} (else the temp folder), removed when the join ends.
 */
final class JoinFolder {

    private final Path path;

    private JoinFolder(Path path) {
        this.path = path;
    }

    static JoinFolder create() throws IOException {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path base = runtime != null && !runtime.isBlank() && Files.isWritable(Path.of(runtime))
                ? Path.of(runtime) : Path.of(System.getProperty("java.io.tmpdir"));
        return new JoinFolder(Files.createTempDirectory(base, "tunl-join-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
    }

    Path path() {
        return path;
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    void delete() {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a leftover empty folder in the runtime directory is harmless
        }
    }
}
