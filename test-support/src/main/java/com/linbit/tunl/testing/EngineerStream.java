package com.linbit.tunl.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An engineer's {@code ssh -tt ... join|chat <id>}: keystrokes in, the terminal stream collected.
 * A stream created {@link #stalled} never reads its output, like an ssh suspended with Ctrl-Z.
 */
public final class EngineerStream implements AutoCloseable {

    private final Process process;
    private final OutputStream keys;
    private final StringBuffer seen = new StringBuffer();
    private final AtomicLong bytes = new AtomicLong();
    private final int keepChars;
    private final Thread reader;

    private EngineerStream(Process process, boolean read, int keepChars) {
        this.process = process;
        this.keys = process.getOutputStream();
        this.keepChars = keepChars;
        if (read) {
            reader = new Thread(() -> collect(process.getInputStream()), "engineer-stream");
            reader.setDaemon(true);
            reader.start();
        } else {
            reader = null;
        }
    }

    public static EngineerStream open(OpenSshClient ssh, Path key, int port, String user, String... command) {
        return new EngineerStream(ssh.start(key, port, user, withTty(command)), true, 1 << 20);
    }

    public static EngineerStream stalled(OpenSshClient ssh, Path key, int port, String user, String... command) {
        return new EngineerStream(ssh.start(key, port, user, withTty(command)), false, 0);
    }

    private static String[] withTty(String... command) {
        String[] args = new String[command.length + 2];
        args[0] = "-tt";
        args[1] = "--";
        System.arraycopy(command, 0, args, 2, command.length);
        return args;
    }

    private void collect(InputStream in) {
        byte[] buffer = new byte[65536];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                bytes.addAndGet(read);
                seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                if (seen.length() > keepChars) {
                    seen.delete(0, seen.length() - keepChars / 2);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    public void type(String text) {
        try {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Raw bytes, as a terminal may send them (not necessarily UTF-8). */
    public void typeBytes(byte[] bytes) {
        try {
            keys.write(bytes);
            keys.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The most recent output (the last megabyte or so). */
    public String output() {
        return seen.toString();
    }

    public long bytesReceived() {
        return bytes.get();
    }

    /** Waits for the process to end and for everything it wrote to be collected. */
    public boolean waitForExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            return false;
        }
        if (reader != null) {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        return true;
    }

    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        Processes.stop(process, 5);
    }

}
