package com.linbit.tunl.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * {@code agent.log}: opened without following a link (0600), and without the lock files
 * java.util.logging's FileHandler leaves beside it. A log that grew past {@link #KEEP} is started
 * afresh; one run writes at most {@link #PER_RUN}, so a loop of errors cannot fill the disk.
 */
final class LogFile extends Handler {

    static final long KEEP = 1024 * 1024;
    static final long PER_RUN = 4L * 1024 * 1024;

    private final FileChannel file;
    private long written;

    LogFile(Path path) throws IOException {
        FileChannel opened = OwnFolders.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (opened.size() > KEEP) {
            opened.truncate(0);
        }
        opened.position(opened.size());
        this.file = opened;
        setFormatter(new SimpleFormatter());
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!isLoggable(record) || written >= PER_RUN) {
            return;
        }
        String line = written + 256 >= PER_RUN ? "log limit of this run reached; nothing more is logged\n"
                : getFormatter().format(record);
        try {
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            written += bytes.remaining();
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
        } catch (IOException e) {
            reportError("cannot write the log", e, ErrorManager.WRITE_FAILURE);
        }
    }

    @Override
    public void flush() {
        // every record is written through at once
    }

    @Override
    public synchronized void close() {
        try {
            file.close();
        } catch (IOException e) {
            reportError("cannot close the log", e, ErrorManager.CLOSE_FAILURE);
        }
    }
}
