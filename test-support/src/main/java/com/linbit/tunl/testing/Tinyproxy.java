package com.linbit.tunl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's tinyproxy, a real HTTP CONNECT proxy, in the foreground on a free loopback port with a
 * config of the test's own; its log is kept in a file for the test to read.
 */
public final class Tinyproxy implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private Tinyproxy(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts tinyproxy with {@code extraConfig} lines (e.g. {@code BasicAuth user pass}, {@code ConnectPort 443}). */
    public static Tinyproxy start(Path folder, String... extraConfig) {
        try {
            Files.createDirectories(folder);
            int port;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
            Path config = folder.resolve("tinyproxy.conf");
            Files.writeString(config, String.join("\n", "User nobody", "Group nogroup", "Port " + port,
                    "Listen 127.0.0.1", "Timeout 600", "Allow 127.0.0.1", "LogLevel Connect", String.join("\n", extraConfig)) + "\n");
            Path log = folder.resolve("tinyproxy.log");
            Process process = new ProcessBuilder("tinyproxy", "-d", "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Tinyproxy proxy = new Tinyproxy(process, port, log);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!proxy.listening()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    proxy.close();
                    throw new IllegalStateException("tinyproxy did not start (apt-get install tinyproxy): " + Files.readString(log));
                }
                Thread.sleep(50);
            }
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean listening() {
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        Processes.stop(process, 5);
    }
}
