package com.linbit.tunl.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.linbit.tunl.testing.Processes;
import java.util.concurrent.TimeUnit;

/** A stock {@code ssh} client as an engineer's terminal: its output goes to a {@link Screen}. */
final class Terminal implements AutoCloseable {

    private final Process process;
    private final OutputStream keyboard;
    private final Screen screen = new Screen();

    private Terminal(Process process) {
        this.process = process;
        this.keyboard = process.getOutputStream();
        Thread reader = new Thread(this::read, "terminal-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static Terminal start(List<String> command) throws IOException {
        return new Terminal(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    private void read() {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream output = process.getInputStream()) {
            int n;
            while ((n = output.read(buffer)) > 0) {
                screen.write(buffer, 0, n);
            }
        } catch (IOException ended) {
            // the client exited
        }
        screen.close();
    }

    Screen screen() {
        return screen;
    }

    long typeAndTime(byte key, long timeoutMillis) throws IOException, InterruptedException {
        return screen.typeAndTime(keyboard, key, timeoutMillis);
    }

    void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Closes the input and waits for the client to finish (e.g. after a remote command). */
    boolean awaitExit(long timeoutMillis) throws InterruptedException, IOException {
        keyboard.close();
        return process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        Processes.stop(process, 10);
    }
}
