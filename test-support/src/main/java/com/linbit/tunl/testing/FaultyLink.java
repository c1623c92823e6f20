package com.linbit.tunl.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy to put between a client and the relay, that the test can break: cut every
 * connection, refuse new ones, or stall (hold every byte, like a frozen network, without closing
 * anything). Each connection is copied by two threads; the proxy and its connections go with
 * {@link #close()}.
 */
public final class FaultyLink implements AutoCloseable {

    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile int targetPort;
    private volatile boolean refusing;
    private volatile boolean stalled;
    private volatile boolean closed;

    private FaultyLink(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "faulty-link-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy on an ephemeral loopback port to {@code 127.0.0.1:targetPort}. */
    public static FaultyLink to(int targetPort) {
        try {
            return new FaultyLink(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** New connections go to {@code port} from now on (a restarted server on another port). */
    public void retarget(int port) {
        this.targetPort = port;
    }

    /** Closes every open connection at once, both ways, as a broken network or NAT reset would. */
    public void cut() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** While true, a new connection is accepted and closed at once (nothing reaches the server). */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** While true, no byte moves either way and nothing is closed: the peers only notice by timeouts. */
    public void stall(boolean stall) {
        this.stalled = stall;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        cut();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                sockets.add(client);
                sockets.add(server);
                copy(client, server, "up");
                copy(server, client, "down");
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void copy(Socket from, Socket to, String direction) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    holdWhileStalled();
                    int read = in.read(buffer);
                    if (read < 0) {
                        break;
                    }
                    holdWhileStalled();
                    out.write(buffer, 0, read);
                }
            } catch (IOException e) {
                // cut, or the other side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "faulty-link-" + direction);
        pump.setDaemon(true);
        pump.start();
    }

    private void holdWhileStalled() {
        while (stalled && !closed) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
