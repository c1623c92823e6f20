package com.linbit.tunl.shell.join;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.linbit.tunl.client.SocketStreams;

/**
 * The console's end of one window: the Unix socket its pane process connects to, the screen
 * bytes written to it, and the keystrokes and sizes read from it on a thread of its own.
 */
final class Pane implements AutoCloseable {

    /** What a window reports. Called on the pane's reader thread. */
    interface Listener {
        void keys(byte[] keys);

        void resized(int columns, int rows);

        void closed();
    }

    private final String name;
    private final ServerSocketChannel server;
    private final Path path;
    private volatile SocketChannel connection;
    private OutputStream screen;
    private volatile int columns = 80;
    private volatile int rows = 24;

    Pane(String name, Path path) throws IOException {
        this.name = name;
        this.path = path;
        Files.deleteIfExists(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
    }

    Path path() {
        return path;
    }

    /** Waits for the window's process to connect and report its size; then reads it for {@code listener}. */
    void connect(Duration patience, Listener listener) throws IOException, TimeoutException {
        CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            connection = accepted.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the " + name + " window");
        } catch (ExecutionException e) {
            throw new IOException("the " + name + " window did not connect: " + e.getCause().getMessage());
        }
        server.close();
        screen = SocketStreams.out(connection);
        InputStream in = SocketStreams.in(connection);
        PaneWire.Message first = PaneWire.read(in);
        if (first != null && first.keys() == null) {
            columns = first.columns();
            rows = first.rows();
        }
        Thread reader = new Thread(() -> read(in, first, listener), "tunl-join-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(InputStream in, PaneWire.Message first, Listener listener) {
        try {
            PaneWire.Message message = first;
            if (message != null && message.keys() == null) {
                message = PaneWire.read(in);
            }
            for (; message != null; message = PaneWire.read(in)) {
                if (message.keys() != null) {
                    listener.keys(message.keys());
                } else if (message.columns() > 0 && message.rows() > 0) {
                    columns = message.columns();
                    rows = message.rows();
                    listener.resized(columns, rows);
                }
            }
        } catch (IOException e) {
            // the window closed
        }
        listener.closed();
    }

    int columns() {
        return columns;
    }

    int rows() {
        return rows;
    }

    /** Shows {@code bytes}; a window that is gone swallows them. */
    synchronized void show(byte[] bytes) {
        if (screen == null) {
            return;
        }
        try {
            screen.write(bytes);
            screen.flush();
        } catch (IOException e) {
            // the window closed; its reader reports that
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            SocketChannel open = connection;
            if (open != null) {
                open.close();
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // closing anyway
        }
    }
}
