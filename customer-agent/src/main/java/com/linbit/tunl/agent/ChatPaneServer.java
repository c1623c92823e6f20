package com.linbit.tunl.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.linbit.tunl.client.SocketStreams;

/**
 * The agent's side of the chat pane: a Unix socket (in the 0700 state folder) the pane process
 * connects to. Lines go down as {@code S <status>} and {@code L <chat line>}; the pane sends
 * {@code C <text>} for what the customer typed. The agent keeps the state, so a pane that
 * reconnects is shown everything again.
 */
final class ChatPaneServer implements AutoCloseable {

    private static final int KEEP_LINES = 500;

    private final ServerSocketChannel server;
    private final Path path;
    private final Consumer<String> onCustomerLine;
    private final List<String> lines = new ArrayList<>();
    private String status = "";
    private OutputStream client;

    ChatPaneServer(Path path, Consumer<String> onCustomerLine) throws IOException {
        this.path = path;
        this.onCustomerLine = onCustomerLine;
        Files.deleteIfExists(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread acceptor = new Thread(this::accept, "tunl-chat-pane");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Path path() {
        return path;
    }

    synchronized void status(String text) {
        status = text;
        send("S " + text);
    }

    synchronized void line(String text) {
        lines.add(text);
        if (lines.size() > KEEP_LINES) {
            lines.remove(0);
        }
        send("L " + text);
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                synchronized (this) {
                    client = SocketStreams.out(connection);
                    send("S " + status);
                    lines.forEach(line -> send("L " + line));
                }
                read(connection);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(SocketChannel connection) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(SocketStreams.in(connection),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("C ")) {
                    onCustomerLine.accept(line.substring(2));
                }
            }
        } catch (IOException e) {
            // the pane went away; it may come back
        }
    }

    private void send(String message) {
        if (client == null) {
            return;
        }
        try {
            client.write((message.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
            client.flush();
        } catch (IOException e) {
            client = null;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
