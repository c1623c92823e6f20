package com.linbit.tunl.relay.ssh.tunnel;

import java.util.Optional;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.ConnectionServiceRequestHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.session.ServerSession;

/**
 * {@code tcpip-forward} and {@code cancel-tcpip-forward} (RFC 4254 7.1) for virtual forwards only.
 * Unlike MINA's TcpipForwardHandler it never binds a socket: a forward is an entry in
 * {@link VirtualForwards}.
 */
final class VirtualForwardRequestHandler implements ConnectionServiceRequestHandler {

    static final String FORWARD = "tcpip-forward";
    static final String CANCEL = "cancel-tcpip-forward";

    private final VirtualForwards forwards;

    VirtualForwardRequestHandler(VirtualForwards forwards) {
        this.forwards = forwards;
    }

    @Override
    public Result process(ConnectionService service, String request, boolean wantReply, Buffer buffer) throws Exception {
        boolean forward = FORWARD.equals(request);
        if (!forward && !CANCEL.equals(request)) {
            return Result.Unsupported;
        }
        Session session = service.getSession();
        if (!(session instanceof ServerSession agent)) {
            return Result.ReplyFailure;
        }
        String address = buffer.getString();
        int port = (int) buffer.getUInt();
        if (!forward) {
            return forwards.unregister(agent, address, port) ? Result.ReplySuccess : Result.ReplyFailure;
        }
        Optional<Integer> bound = forwards.register(service, agent, address, port);
        if (bound.isEmpty()) {
            return Result.ReplyFailure;
        }
        if (wantReply) {
            // RFC 4254 asks for the port only when port 0 was requested; MINA's client reads it
            // only then too, and OpenSSH ignores it otherwise, so it is always sent.
            Buffer reply = session.createBuffer(SshConstants.SSH_MSG_REQUEST_SUCCESS, Integer.BYTES);
            reply.putUInt(bound.get());
            session.writePacket(reply);
        }
        return Result.Replied;
    }
}
