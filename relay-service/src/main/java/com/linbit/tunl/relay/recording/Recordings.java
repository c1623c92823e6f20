package com.linbit.tunl.relay.recording;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linbit.tunl.relay.RelayProperties;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The relay's recordings: {@code <dir>/<yyyy>/<mm>/<id>/<id>-part<N>.cast}, one part per agent
 * connection of a session (a reconnect or a relay restart starts the next part; together they are
 * the session). A closed part's SHA-256 goes to {@code recording_file}; at start a part a crash
 * left with a half-written last line is cut back to its last whole event and registered.
 */
@Service
public class Recordings implements SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Recordings.class);
    private static final DateTimeFormatter YEAR_MONTH = DateTimeFormatter.ofPattern("yyyy/MM").withZone(ZoneOffset.UTC);
    private static final Pattern PART = Pattern.compile("(.+)-part(\\d+)\\.cast");

    private final RecordingProperties properties;
    private final Path root;
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final RecordingWriters writers = new RecordingWriters(Math.max(2, Runtime.getRuntime().availableProcessors()));

    Recordings(RecordingProperties properties, RelayProperties relay, JdbcClient jdbc, ApplicationEventPublisher events,
               Clock clock) {
        this.properties = properties;
        this.root = (properties.directory() != null ? properties.directory() : relay.dataDir().resolve("recordings"))
                .toAbsolutePath();
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** Parts closed as the relay stops are written and registered before it goes. */
    @Override
    public void destroy() throws InterruptedException {
        writers.close();
    }

    public Path root() {
        return root;
    }

    /**
     * Starts the next part of {@code sessionId}'s recording. A part that cannot even be created is
     * a recording failure like any other (published, then handled per {@code on-failure}).
     */
    public SessionRecording startPart(String sessionId, String caseNumber, Instant sessionCreated, int columns, int rows) {
        Path folder = root.resolve(YEAR_MONTH.format(sessionCreated)).resolve(sessionId);
        try {
            Files.createDirectories(folder);
            int part = nextPart(folder, sessionId);
            String title = sessionId + (caseNumber == null || caseNumber.isEmpty() ? "" : " case " + caseNumber);
            return new SessionRecording(folder.resolve(sessionId + "-part" + part + ".cast"),
                    Math.max(1, columns), Math.max(1, rows), clock.instant().getEpochSecond(), title,
                    properties.maxBacklog().toBytes(), properties.flushInterval(), writers,
                    reason -> events.publishEvent(new RecordingFailed(sessionId, reason)), this::closed);
        } catch (IOException e) {
            events.publishEvent(new RecordingFailed(sessionId, "cannot create a recording in " + folder + ": " + e.getMessage()));
            return null;
        }
    }

    /** Whether the session has a finished (closed) recording part. */
    public boolean hasRecording(String sessionId) {
        return !parts(sessionId).isEmpty();
    }

    /** The session's closed parts as one playable asciicast. */
    public void export(String sessionId, java.io.Writer out) throws IOException {
        RecordingExport.write(parts(sessionId), out);
    }

    private List<Path> parts(String sessionId) {
        return jdbc.sql("select path from recording_file where session_id = ? order by part").param(sessionId)
                .query(String.class).list().stream().map(Path::of).toList();
    }

    /** Each part of the session with whether its file still has the hash stored when it closed. */
    public List<PartCheck> check(String sessionId) {
        List<PartCheck> checks = new ArrayList<>();
        jdbc.sql("select part, path, sha256 from recording_file where session_id = ? order by part").param(sessionId)
                .query((java.sql.ResultSet row) -> {
                    Path file = Path.of(row.getString("path"));
                    String actual;
                    try {
                        actual = sha256(file);
                    } catch (IOException e) {
                        actual = null;
                    }
                    String stored = row.getString("sha256");
                    checks.add(new PartCheck(row.getInt("part"), file.toString(), stored, actual, stored.equals(actual)));
                });
        return checks;
    }

    /** One part's check: intact when the file's hash is still the one stored when it closed. */
    public record PartCheck(int part, String file, String storedSha256, String actualSha256, boolean intact) {
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(file -> PART.matcher(file.getFileName().toString()).matches()).forEach(this::recover);
        } catch (IOException e) {
            log.warn("Could not look through the recordings in {}: {}", root, e.getMessage());
        }
    }

    /** A part without a stored hash was not closed: a crash. Repair its end, then register it. */
    private void recover(Path file) {
        boolean known = jdbc.sql("select count(*) from recording_file where path = ?").param(file.toString())
                .query(Long.class).single() > 0;
        if (known) {
            return;
        }
        try {
            long cut = repairLastLine(file);
            if (cut > 0) {
                log.info("Recording {}: removed {} bytes of a half-written last event", file, cut);
            }
            register(file);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not recover the recording {}: {}", file, e.getMessage());
        }
    }

    /** Cuts the file back to its last complete line; returns how many bytes went. */
    static long repairLastLine(Path file) throws IOException {
        try (RandomAccessFile data = new RandomAccessFile(file.toFile(), "rw")) {
            long length = data.length();
            long end = length;
            while (end > 0) {
                data.seek(end - 1);
                if (data.read() == '\n') {
                    break;
                }
                end--;
            }
            if (end < length) {
                data.setLength(end);
            }
            return length - end;
        }
    }

    /** A closed part is hashed and stored; one that failed first loses its half-written last event. */
    private void closed(SessionRecording recording) {
        if (recording.failed()) {
            try {
                repairLastLine(recording.file());
            } catch (IOException e) {
                log.warn("Could not repair the end of recording {} after it failed: {}", recording.file(), e.getMessage());
            }
        }
        register(recording.file());
    }

    private void register(Path file) {
        Matcher name = PART.matcher(file.getFileName().toString());
        if (!name.matches()) {
            return;
        }
        try {
            String sessionId = name.group(1);
            boolean sessionKnown = jdbc.sql("select count(*) from support_session where id = ?").param(sessionId)
                    .query(Long.class).single() > 0;
            if (!sessionKnown) {
                log.warn("Recording {} belongs to no session this database knows; left as it is", file);
                return;
            }
            jdbc.sql("""
                    insert into recording_file (session_id, part, path, size_bytes, sha256, closed_at)
                    values (?, ?, ?, ?, ?, ?) on conflict (path) do nothing""")
                    .params(sessionId, Integer.parseInt(name.group(2)), file.toString(), Files.size(file), sha256(file),
                            java.sql.Timestamp.from(clock.instant()))
                    .update();
        } catch (IOException | RuntimeException e) {
            log.error("Could not store the hash of recording {}: {}", file, e.getMessage());
        }
    }

    private static int nextPart(Path folder, String sessionId) throws IOException {
        int highest = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Matcher name = PART.matcher(file.getFileName().toString());
                if (name.matches() && name.group(1).equals(sessionId)) {
                    highest = Math.max(highest, Integer.parseInt(name.group(2)));
                }
            }
        }
        return highest + 1;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            DigestInputStream digesting = (DigestInputStream) in;
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digesting.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
