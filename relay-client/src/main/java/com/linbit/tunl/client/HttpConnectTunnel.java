package com.linbit.tunl.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A connection to the relay through an HTTP proxy: {@code CONNECT relay:port}, the proxy's answer
 * read and checked, then a loopback socket that MINA connects to, whose bytes are copied to and
 * from the proxied connection. A proxy that refuses says so in words, before any SSH is spoken.
 */
final class HttpConnectTunnel implements AutoCloseable {

    private static final int MAX_RESPONSE_HEADER = 16 * 1024;

    private final Socket proxied;
    private final ServerSocket loopback;

    private HttpConnectTunnel(Socket proxied, ServerSocket loopback) {
        this.proxied = proxied;
        this.loopback = loopback;
    }

    /**
     * @throws IOException the proxy could not be reached, or it refused to connect to the relay
     */
    static HttpConnectTunnel open(HttpProxy proxy, RelayAddress relay, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), (int) timeout.toMillis());
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot reach the HTTP proxy " + proxy + ": " + e.getMessage(), e);
        }
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            String target = relay.host() + ":" + relay.port();
            StringBuilder request = new StringBuilder("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n");
            if (proxy.user() != null) {
                String credentials = proxy.user() + ":" + proxy.password();
                request.append("Proxy-Authorization: Basic ")
                        .append(Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))).append("\r\n");
            }
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = readHeader(socket.getInputStream(), proxy);
            String[] words = status.split(" ", 3);
            if (words.length < 2 || !words[0].startsWith("HTTP/") || !words[1].startsWith("2")) {
                String code = words.length >= 2 ? words[1] + (words.length > 2 ? " " + words[2] : "") : status;
                String hint = words.length >= 2 && words[1].equals("407")
                        ? "; give the proxy's user and password as --proxy http://user:pass@host:port" : "";
                throw new IOException("the HTTP proxy " + proxy + " refused to connect to the relay at " + target
                        + ": " + code + hint);
            }
            socket.setSoTimeout(0);
            ServerSocket loopback = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            HttpConnectTunnel tunnel = new HttpConnectTunnel(socket, loopback);
            Thread acceptor = new Thread(tunnel::bridge, "tunl-proxy-bridge");
            acceptor.setDaemon(true);
            acceptor.start();
            return tunnel;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Where MINA connects: the loopback end of the tunnel. */
    int localPort() {
        return loopback.getLocalPort();
    }

    String localHost() {
        return loopback.getInetAddress().getHostAddress();
    }

    @Override
    public void close() {
        closeQuietly(loopback);
        closeQuietly(proxied);
    }

    /** The status line; the rest of the header is read and dropped, byte by byte, so no SSH byte is eaten. */
    private static String readHeader(InputStream in, HttpProxy proxy) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the HTTP proxy " + proxy + " closed the connection without answering CONNECT");
            }
            header.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (header.size() > MAX_RESPONSE_HEADER) {
                throw new IOException("the HTTP proxy " + proxy + " sent an answer too long to be HTTP");
            }
        }
        String text = header.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("\r\n"));
    }

    private void bridge() {
        try (Socket local = loopback.accept()) {
            closeQuietly(loopback);
            Thread up = copy(local.getInputStream(), proxied.getOutputStream(), "tunl-proxy-up");
            copy(proxied.getInputStream(), local.getOutputStream(), "tunl-proxy-down").join();
            up.join();
        } catch (IOException e) {
            // closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    private Thread copy(InputStream from, OutputStream to, String name) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[32 * 1024];
            try {
                int read;
                while ((read = from.read(buffer)) >= 0) {
                    to.write(buffer, 0, read);
                    to.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                close();
            }
        }, name);
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
