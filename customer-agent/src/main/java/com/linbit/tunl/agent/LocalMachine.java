package com.linbit.tunl.agent;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What the agent asks of the customer's machine itself: terminal size, host name, small commands. */
final class LocalMachine {

    private static final Logger log = Logger.getLogger(LocalMachine.class.getName());

    private LocalMachine() {
    }

    static int[] terminalSize() {
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty")).start();
            String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split(" ");
            if (stty.waitFor() == 0 && size.length == 2) {
                return new int[] {Integer.parseInt(size[1]), Integer.parseInt(size[0])};
            }
        } catch (IOException | RuntimeException e) {
            log.log(Level.FINE, "no terminal size", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new int[] {80, 24};
    }

    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void exec(List<String> command) throws IOException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IOException(command.get(0) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
