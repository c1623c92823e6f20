package com.linbit.tunl.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A free port on 127.0.0.1 for a server a test or the benchmark starts. */
public final class Ports {

    private Ports() {
    }

    public static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
