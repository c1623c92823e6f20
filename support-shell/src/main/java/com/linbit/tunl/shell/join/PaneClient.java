package com.linbit.tunl.shell.join;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.linbit.tunl.client.SocketStreams;

import sun.misc.Signal;

/**
 * The process in each window of the local join tmux: a raw terminal that sends keystrokes and
 * its size to the console over a Unix socket and shows whatever the console sends back. All state
 * stays in the console, so this stays small and starts fast.
 */
public final class PaneClient {

    /** The hidden first argument that makes {@code tunl} run as a pane. */
    public static final String COMMAND = "__pane";

    private final Object sending = new Object();
    private OutputStream toConsole;

    private PaneClient() {
    }

    public static int run(String... args) {
        if (args.length != 1) {
            System.err.println("usage: tunl " + COMMAND + " SOCKET (started by tunl join)");
            return 2;
        }
        try {
            return new PaneClient().serve(Path.of(args[0]));
        } catch (IOException e) {
            System.err.println("tunl: this window lost the console: " + e.getMessage());
            return 1;
        }
    }

    private int serve(Path socket) throws IOException {
        stty("raw", "-echo");
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            toConsole = SocketStreams.out(channel);
            sendSize();
            Signal.handle(new Signal("WINCH"), signal -> sendSize());
            Thread keys = new Thread(this::forwardKeys, "tunl-pane-keys");
            keys.setDaemon(true);
            keys.start();
            InputStream fromConsole = SocketStreams.in(channel);
            OutputStream screen = new FileOutputStream(FileDescriptor.out);
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = fromConsole.read(buffer, 0, buffer.length)) >= 0) {
                screen.write(buffer, 0, read);
                screen.flush();
            }
            return 0;
        } finally {
            stty("sane");
        }
    }

    private void forwardKeys() {
        InputStream keyboard = new FileInputStream(FileDescriptor.in);
        byte[] buffer = new byte[PaneWire.MAX_PAYLOAD];
        try {
            int read;
            while ((read = keyboard.read(buffer)) >= 0) {
                synchronized (sending) {
                    PaneWire.keys(toConsole, buffer, read);
                }
            }
        } catch (IOException e) {
            // the console closed the socket; the main thread ends
        }
    }

    private void sendSize() {
        try {
            String[] size = stty("size").strip().split(" ");
            synchronized (sending) {
                PaneWire.size(toConsole, Integer.parseInt(size[1]), Integer.parseInt(size[0]));
            }
        } catch (IOException | RuntimeException e) {
            // no size to report; the console keeps the last one
        }
    }

    private static String stty(String... args) {
        List<String> command = new ArrayList<>(List.of("stty"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectInput(new File("/dev/tty")).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
