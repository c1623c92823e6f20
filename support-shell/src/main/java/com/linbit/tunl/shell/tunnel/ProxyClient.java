package com.linbit.tunl.shell.tunnel;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

import org.slf4j.LoggerFactory;

import com.linbit.tunl.shell.relay.Relay;
import com.linbit.tunl.shell.relay.RelayConnection;
import com.linbit.tunl.shell.relay.RelayException;
import com.linbit.tunl.shell.relay.RelayStream;

/**
 * {@code tunl __proxy <session-id>}: the ProxyCommand behind {@code tunl ssh} and
 * {@code tunl browser}. It connects to the relay as the console does (pinned CA, the engineer's
 * key or ssh-agent) and carries the stock ssh client's bytes to the customer's sshd through the
 * session's tunnel over its standard input and output, like {@code ssh -W}.
 */
public final class ProxyClient {

    public static final String COMMAND = "__proxy";

    private ProxyClient() {
    }

    public static int run(String... args) {
        // Standard output is the SSH stream: nothing else may ever write there.
        OutputStream stream = new FileOutputStream(FileDescriptor.out);
        PrintStream stderr = System.err;
        System.setOut(stderr);
        quietLogging();
        if (args.length != 1) {
            stderr.println("usage: tunl " + COMMAND + " <session-id> (the ProxyCommand of tunl ssh and tunl browser)");
            return 2;
        }
        try (RelayConnection connection = new Relay(System.getenv()).connect();
             RelayStream tunnel = connection.openTunnel(args[0])) {
            Thread upstream = new Thread(() -> copyUp(new FileInputStream(FileDescriptor.in), tunnel.input()), "tunl-proxy-up");
            upstream.setDaemon(true);
            upstream.start();
            tunnel.output().transferTo(stream);
            stream.flush();
            return 0;
        } catch (RelayException e) {
            stderr.println("tunl: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            stderr.println("tunl: the tunnel connection failed: " + e.getMessage());
            return 1;
        }
    }

    private static void copyUp(InputStream from, OutputStream to) {
        byte[] buffer = new byte[32 * 1024];
        try (to) {
            int read;
            while ((read = from.read(buffer)) >= 0) {
                to.write(buffer, 0, read);
                to.flush();
            }
        } catch (IOException e) {
            // the tunnel closed; the downstream copy ends too
        }
    }

    /** Without Spring, logback would log everything; only real problems belong on stderr here. */
    private static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }
}
