package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthorizedKeysTest {

    private static final Instant EXPIRES = Instant.parse("2030-01-02T03:04:05.678Z");
    private static final String SESSION = "swift-fox-jumps-barrel";
    private static final String KEY_A = ed25519(1);
    private static final String KEY_B = ed25519(2);
    private static final String LINE_A = "expiry-time=\"20300102030405Z\" " + KEY_A + " tunl:" + SESSION + ":alice\n";
    private static final String LINE_B = "expiry-time=\"20300102030405Z\" " + KEY_B + " tunl:" + SESSION + ":alice\n";

    @TempDir
    Path home;
    private Path ssh;
    private Path file;
    private AuthorizedKeys keys;

    @BeforeEach
    void paths() {
        ssh = home.resolve(".ssh");
        file = ssh.resolve("authorized_keys");
        keys = new AuthorizedKeys(folders());
    }

    /** The running user, with the test's folder as the home the password database names. */
    private OwnFolders folders() {
        return new OwnFolders(TestAccounts.runningUser(home));
    }

    @Test
    void appendsOneTaggedLinePerKeyWithUtcExpiryAndWithoutTheKeysComment() throws Exception {
        byte[] original = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwn customer@box\n".getBytes(StandardCharsets.US_ASCII);
        existing(original, "rw-------");

        keys.install(SESSION, "alice", List.of(KEY_A + " alice@laptop", "  " + KEY_B + "  "), EXPIRES, KeyExpiry.UTC);

        assertThat(Files.readAllBytes(file)).isEqualTo(concat(original, LINE_A + LINE_B));
    }

    @Test
    void createsPrivateDirectoryAndFileWhenMissing() throws Exception {
        keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC);

        assertThat(Files.readString(file)).isEqualTo(LINE_A);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ssh))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var entries = Files.list(ssh)) {
            assertThat(entries).containsExactly(file);
        }
    }

    @Test
    void keepsTheExistingFilesPermissionsOnEveryRewrite() throws Exception {
        existing("k\n".getBytes(StandardCharsets.US_ASCII), "rw-r-----");

        keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        keys.remove(SESSION);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    }

    @Test
    void keepsTheFilesOwnerAndGroupOnEveryRewrite() throws Exception {
        assumeRoot();
        existing("k\n".getBytes(StandardCharsets.US_ASCII), "rw-r-----");
        Files.setAttribute(file, "unix:uid", 4242);
        Files.setAttribute(file, "unix:gid", 4343);

        keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC);
        assertThat(ownerAndGroup()).isEqualTo("4242:4343");
        keys.remove(SESSION);

        assertThat(ownerAndGroup()).isEqualTo("4242:4343");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(Files.readString(file)).isEqualTo("k\n");
    }

    @Test
    void anEditorThatChangesTheFileMeanwhileLosesNoLineAndGetsNoRemovedLineBack() throws Exception {
        existing("ssh-rsa AAAA one\nssh-rsa AAAA two\n".getBytes(StandardCharsets.US_ASCII), "rw-------");
        int[] calls = new int[1];
        // A configuration tool, editing without a lock, replaces the file between the agent's read
        // and its rename: it drops "one" and adds "three".
        keys.beforeReplace(() -> {
            if (calls[0]++ == 0) {
                try {
                    Path temp = ssh.resolve("tool.tmp");
                    Files.writeString(temp, "ssh-rsa AAAA two\nssh-rsa AAAA three\n");
                    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });

        keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC);

        assertThat(calls[0]).as("the agent started its change again from the tool's version").isEqualTo(2);
        assertThat(Files.readString(file)).isEqualTo("ssh-rsa AAAA two\nssh-rsa AAAA three\n" + LINE_A);
        keys.remove(SESSION);
        assertThat(Files.readString(file)).isEqualTo("ssh-rsa AAAA two\nssh-rsa AAAA three\n");
    }

    @Test
    void twoAgentsEditingAtOnceLoseNoLine() throws Exception {
        existing("ssh-rsa AAAA customer\n".getBytes(StandardCharsets.US_ASCII), "rw-------");
        List<Process> agents = new ArrayList<>();
        for (String session : List.of("calm-lake-sings-tune", "bold-owl-hums-bridge")) {
            agents.add(new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp",
                    System.getProperty("java.class.path"), KeysEditor.class.getName(), home.toString(), session, "150")
                    .redirectErrorStream(true).start());
        }
        for (Process agent : agents) {
            String output = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(agent.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.exitValue()).as(output).isZero();
        }

        // Each left its last install in place; every other round's lines came and went.
        assertThat(Files.readString(file).lines().toList()).containsExactlyInAnyOrder("ssh-rsa AAAA customer",
                "expiry-time=\"20300102030405Z\" " + KEY_A + " tunl:calm-lake-sings-tune:alice",
                "expiry-time=\"20300102030405Z\" " + KEY_A + " tunl:bold-owl-hums-bridge:alice");
        try (var entries = Files.list(ssh)) {
            assertThat(entries).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void refusesAnSshFolderThatIsALinkOrThatOthersMayWrite() throws Exception {
        Path elsewhere = Files.createDirectory(home.resolve("elsewhere"));
        Files.createSymbolicLink(ssh, elsewhere);
        assertThatThrownBy(() -> keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC))
                .isInstanceOf(IOException.class).hasMessageContaining("is a symbolic link");
        assertThat(elsewhere).isEmptyDirectory();

        Files.delete(ssh);
        Files.createDirectory(ssh);
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC))
                .isInstanceOf(IOException.class).hasMessageContaining("may be written by other users");
        assertThat(ssh).isEmptyDirectory();
    }

    @Test
    void writesTheExpiryInTheFormTheLocalSshdReads() throws Exception {
        keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES,
                KeyExpiry.forBanner(java.util.Optional.of("SSH-2.0-OpenSSH_8.0"), java.time.ZoneId.of("Europe/Vienna")));
        keys.install(SESSION, "bob", List.of(KEY_B), EXPIRES,
                KeyExpiry.forBanner(java.util.Optional.of("SSH-2.0-OpenSSH_7.4"), java.time.ZoneOffset.UTC));

        assertThat(Files.readString(file)).isEqualTo("expiry-time=\"20300102040405\" " + KEY_A + " tunl:" + SESSION + ":alice\n"
                + KEY_B + " tunl:" + SESSION + ":bob\n");
    }

    @Test
    void startsItsLinesOnALineOfTheirOwn() throws Exception {
        existing("ssh-rsa AAAA customer".getBytes(StandardCharsets.US_ASCII), "rw-------");

        keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC);

        assertThat(Files.readString(file)).isEqualTo("ssh-rsa AAAA customer\n" + LINE_A);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ssh-rsa AAAA one\n", "ssh-rsa AAAA one\nssh-rsa AAAA two", "# c\r\n\nssh-rsa AAAA \u00e9\u00ff\n\n"})
    void removeGivesBackTheFileByteForByte(String content) throws Exception {
        byte[] original = content.getBytes(StandardCharsets.ISO_8859_1);
        existing(original, "rw-------");

        keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC);
        keys.install(SESSION, "bob", List.of(KEY_B), EXPIRES, KeyExpiry.UTC);
        keys.remove(SESSION);

        assertThat(Files.readAllBytes(file)).isEqualTo(original);
    }

    @Test
    void removeDeletesTheFileAndDirectoryThatInstallCreated() throws Exception {
        keys.install(SESSION, "alice", List.of(KEY_A, KEY_B), EXPIRES, KeyExpiry.UTC);
        keys.remove(SESSION);

        assertThat(ssh).doesNotExist();
    }

    @Test
    void removeDeletesTheFileButKeepsADirectoryThatWasThere() throws Exception {
        Files.createDirectory(ssh);
        Files.writeString(ssh.resolve("config"), "Host *\n");

        keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC);
        keys.remove(SESSION);

        assertThat(file).doesNotExist();
        assertThat(ssh.resolve("config")).hasContent("Host *");
    }

    @Test
    void removeKeepsAFileItCreatedOnceTheCustomerAddedLines() throws Exception {
        keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC);
        Files.writeString(file, Files.readString(file) + "ssh-rsa AAAA mine\n");

        keys.remove(SESSION);

        assertThat(Files.readString(file)).isEqualTo("ssh-rsa AAAA mine\n");
        assertThat(ssh).isDirectory();
    }

    @Test
    void removeKeepsTheCustomersEditsAndDropsItsSeparatorWhenItCan() throws Exception {
        existing("ssh-rsa AAAA one\nssh-rsa AAAA two".getBytes(StandardCharsets.US_ASCII), "rw-------");
        keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC);
        Files.writeString(file, Files.readString(file).replace("one", "uno"));

        keys.remove(SESSION);

        assertThat(Files.readString(file)).isEqualTo("ssh-rsa AAAA uno\nssh-rsa AAAA two");
    }

    @Test
    void removeTakesOnlyItsTaggedLinesWhenTheCustomerWroteAroundThem() throws Exception {
        existing("ssh-rsa AAAA one".getBytes(StandardCharsets.US_ASCII), "rw-------");
        keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC);
        Files.writeString(file, Files.readString(file) + "ssh-rsa AAAA later\n");

        keys.remove(SESSION);

        assertThat(Files.readString(file)).isEqualTo("ssh-rsa AAAA one\nssh-rsa AAAA later\n");
    }

    @Test
    void removeLeavesOtherSessionsAndIsIdempotent() throws Exception {
        String other = "expiry-time=\"20300102030405Z\" " + KEY_B + " tunl:calm-lake-sings-tune:bob\n";
        existing(("a\n" + other).getBytes(StandardCharsets.US_ASCII), "rw-------");
        keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC);

        keys.remove(SESSION);
        Object inode = inode();
        keys.remove(SESSION);

        assertThat(Files.readString(file)).isEqualTo("a\n" + other);
        assertThat(inode()).isEqualTo(inode);
    }

    @Test
    void removeWithoutInstallChangesNothing() throws Exception {
        keys.remove(SESSION);
        assertThat(ssh).doesNotExist();

        existing("a\n".getBytes(StandardCharsets.US_ASCII), "rw-------");
        Object inode = inode();
        new AuthorizedKeys(folders()).remove(SESSION);
        assertThat(Files.readString(file)).isEqualTo("a\n");
        assertThat(inode()).isEqualTo(inode);
    }

    @Test
    void refusesToReplaceASymlink() throws Exception {
        Files.createDirectory(ssh);
        Path target = Files.writeString(home.resolve("real_keys"), "a\n");
        Files.createSymbolicLink(file, target);

        assertThatThrownBy(() -> keys.install(SESSION, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC))
                .isInstanceOf(IOException.class).hasMessageContaining("is a symbolic link");
        assertThatThrownBy(() -> keys.sweepStale(id -> false))
                .isInstanceOf(IOException.class).hasMessageContaining("is a symbolic link");
        assertThat(file).isSymbolicLink();
        assertThat(target).hasContent("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "ssh-ed25519", "ssh-dss AAAAB3NzaC1kc3MAAACB", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==", "from=\"*\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5",
        "ssh-ed25519 AAAA*C3NzaC1lZDI1NTE5", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE", "ssh-ed25519 AAAAC3Nz=C1lZDI1NTE5",
        "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g",
        "ssh-ed25519\tAAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g",
    })
    void rejectsWhatIsNotOneWellFormedPublicKey(String key) {
        assertThatThrownBy(() -> keys.install(SESSION, "alice", List.of(KEY_A, key), EXPIRES, KeyExpiry.UTC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ssh).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r", "\u0000", "\u0007", "\u001b[2J", "\u0085", "\nssh-rsa AAAA evil"})
    void rejectsKeysWithControlCharacters(String insert) {
        assertThatThrownBy(() -> keys.install(SESSION, "alice", List.of(KEY_A + " c" + insert), EXPIRES, KeyExpiry.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single line");
        assertThat(ssh).doesNotExist();
    }

    @Test
    void validatesSessionIdsAndEngineerNames() throws Exception {
        for (String id : new String[] {"", "Swift-fox", "swift--fox", "-swift", "swift-", "swift fox", "a:b", "x\n"}) {
            assertThatThrownBy(() -> keys.install(id, "alice", List.of(KEY_A), EXPIRES, KeyExpiry.UTC)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> keys.remove(id)).isInstanceOf(IllegalArgumentException.class);
        }
        for (String name : new String[] {"", "a".repeat(65), "al ice", "al:ice", "al\nice", "älice", "a/b"}) {
            assertThatThrownBy(() -> keys.install(SESSION, name, List.of(KEY_A), EXPIRES, KeyExpiry.UTC)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ssh).doesNotExist();

        keys.install("s1", "A.b_c-9" + "x".repeat(57), List.of(KEY_A), EXPIRES, KeyExpiry.UTC);
        assertThat(Files.readString(file)).endsWith(" tunl:s1:A.b_c-9" + "x".repeat(57) + "\n");
    }

    @Test
    void sweepRemovesTheLinesOfSessionsThatNoLongerRun() throws Exception {
        String stale = "expiry-time=\"20200101000000Z\" " + KEY_A + " tunl:old-one:bob\n";
        String running = "expiry-time=\"20300101000000Z\" " + KEY_B + " tunl:new-one:alice\n";
        existing(("a tunl:no\n" + stale + running + "b\n" + stale).getBytes(StandardCharsets.US_ASCII), "rw-r-----");
        List<String> asked = new ArrayList<>();

        int removed = keys.sweepStale(id -> asked.add(id) && id.equals("new-one"));

        assertThat(removed).isEqualTo(2);
        assertThat(asked).containsExactly("old-one", "new-one", "old-one");
        assertThat(Files.readString(file)).isEqualTo("a tunl:no\n" + running + "b\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    }

    @Test
    void sweepDoesNotRewriteWhenNothingIsStale() throws Exception {
        assertThat(keys.sweepStale(id -> false)).isZero();
        assertThat(ssh).doesNotExist();

        existing(("a\n" + LINE_A).getBytes(StandardCharsets.US_ASCII), "rw-------");
        Object inode = inode();
        assertThat(keys.sweepStale(SESSION::equals)).isZero();
        assertThat(inode()).isEqualTo(inode);
        assertThat(Files.readString(file)).isEqualTo("a\n" + LINE_A);
    }

    @Test
    void sshKeygenReadsTheInstalledLines() throws Exception {
        Path dir = Files.createDirectory(home.resolve("keys"));
        Path ed = dir.resolve("ed");
        Path rsa = dir.resolve("rsa");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@laptop", "-f", ed.toString());
        run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsa.toString());
        existing("# customer\n".getBytes(StandardCharsets.US_ASCII), "rw-------");

        keys.install(SESSION, "alice", List.of(Files.readString(dir.resolve("ed.pub")).strip(),
                Files.readString(dir.resolve("rsa.pub")).strip()), EXPIRES, KeyExpiry.UTC);

        List<String> listed = run("ssh-keygen", "-l", "-f", file.toString()).lines().toList();
        assertThat(listed).containsExactly(
                fingerprint(dir.resolve("ed.pub")) + " tunl:" + SESSION + ":alice (ED25519)",
                fingerprint(dir.resolve("rsa.pub")) + " tunl:" + SESSION + ":alice (RSA)");
    }

    private String fingerprint(Path publicKey) throws Exception {
        String[] fields = run("ssh-keygen", "-l", "-f", publicKey.toString()).split(" ");
        return fields[0] + " " + fields[1];
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private void existing(byte[] content, String permissions) throws IOException {
        Files.createDirectories(ssh);
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    }

    private String ownerAndGroup() throws IOException {
        return Files.getAttribute(file, "unix:uid") + ":" + Files.getAttribute(file, "unix:gid");
    }

    private static void assumeRoot() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
                "changing a file's owner needs root, as the agent usually runs");
    }

    private Object inode() throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static byte[] concat(byte[] head, String tail) {
        byte[] t = tail.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(head.length + t.length).put(head).put(t).array();
    }

    /** A syntactically valid ed25519 public key, type and base64 only. */
    static String ed25519(int seed) {
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer blob = ByteBuffer.allocate(4 + type.length + 4 + 32).putInt(type.length).put(type).putInt(32);
        for (int i = 0; i < 32; i++) {
            blob.put((byte) (seed * 32 + i));
        }
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.array());
    }
}
