package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Folders and files of the agent's on a machine it does not own, usually as root: a folder it uses
 * must be a real folder (not a symbolic link), owned by the running user and writable by nobody
 * else, or another user could swap what lies beneath it; files are opened without following links.
 * A folder the agent creates is 0700, a file 0600.
 */
final class OwnFolders {

    static final Set<PosixFilePermission> PRIVATE_FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private final LocalAccount account;

    OwnFolders(LocalAccount account) {
        this.account = account;
    }

    LocalAccount account() {
        return account;
    }

    /**
     * {@code folder}, made where missing (0700) and checked where present, with every folder between
     * the account's home and it. The home itself is the system's and may be reached through a link;
     * below it none is followed.
     */
    Path privateFolder(Path folder) throws IOException {
        Path home = account.home();
        checkOwned(home.toRealPath(), home);
        if (!folder.startsWith(home)) {
            checkOwned(folder, folder);
            return folder;
        }
        Path at = home;
        for (Path part : home.relativize(folder)) {
            at = at.resolve(part);
            try {
                Files.createDirectory(at, PosixFilePermissions.asFileAttribute(PRIVATE_FOLDER));
                Files.setPosixFilePermissions(at, PRIVATE_FOLDER);
            } catch (FileAlreadyExistsException exists) {
                checkOwned(at, at);
            }
        }
        return folder;
    }

    /** Refuses {@code folder} unless it is a real folder of the running user that nobody else may write to. */
    void checkOwned(Path folder, Path shown) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(folder, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new IOException(shown + " does not exist");
        }
        if (attributes.isSymbolicLink()) {
            throw new IOException(shown + " is a symbolic link; linbit-tunl follows no link there"
                    + " (make it a real folder, or remove it and let linbit-tunl create it)");
        }
        if (!attributes.isDirectory()) {
            throw new IOException(shown + " is not a folder");
        }
        int owner = (Integer) Files.getAttribute(folder, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != account.uid()) {
            throw new IOException(shown + " belongs to user " + attributes.owner().getName() + ", not to "
                    + account.name() + " who runs linbit-tunl (chown it, or run linbit-tunl as its owner)");
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        boolean groupMayWrite = permissions.contains(PosixFilePermission.GROUP_WRITE)
                && !attributes.group().getName().equals(account.name());
        if (permissions.contains(PosixFilePermission.OTHERS_WRITE) || groupMayWrite) {
            throw new IOException(shown + " may be written by other users (mode "
                    + PosixFilePermissions.toString(permissions) + "; chmod go-w " + shown + ")");
        }
    }

    /** Opens a file the agent writes, never through a link; a new one is made 0600. */
    static FileChannel open(Path file, OpenOption... options) throws IOException {
        List<OpenOption> all = new ArrayList<>(Arrays.asList(options));
        all.add(LinkOption.NOFOLLOW_LINKS);
        try {
            return FileChannel.open(file, Set.copyOf(all), PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                throw new IOException(file + " is a symbolic link; linbit-tunl writes no file through a link", e);
            }
            throw e;
        }
    }

    /** A file's bytes, read without following a link. */
    static byte[] read(Path file) throws IOException {
        try (FileChannel channel = open(file, StandardOpenOption.READ)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(channel.size(), 1 << 20));
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8192);
            while (channel.read(buffer.clear()) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
            }
            return out.toByteArray();
        }
    }
}
