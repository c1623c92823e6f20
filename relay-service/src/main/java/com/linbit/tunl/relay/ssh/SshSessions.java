package com.linbit.tunl.relay.ssh;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;

/** What the relay remembers about each SSH connection, and how it names the peer in records. */
public final class SshSessions {

    static final AttributeKey<Long> KEY_ID = new AttributeKey<>();
    public static final AttributeKey<String> KEY_FINGERPRINT = new AttributeKey<>();
    /** Set on customer-agent connections: the fingerprint of the key the agent proved it holds. */
    public static final AttributeKey<String> CUSTOMER_KEY = new AttributeKey<>();
    /** Set once this connection's agent claimed its session: only such a connection may register the tunnel. */
    public static final AttributeKey<String> CLAIMED_SESSION = new AttributeKey<>();
    /** The source address this connection was counted under by {@link AddressLimits}. */
    static final AttributeKey<String> COUNTED_ADDRESS = new AttributeKey<>();
    /** Refusals already audited on this connection, so a client offering many keys is one row each. */
    static final AttributeKey<Set<String>> AUDITED_REFUSALS = new AttributeKey<>();

    private static final int MAX_NAME_IN_RECORDS = 64;

    private SshSessions() {
    }

    public static String sourceAddress(Session session) {
        SocketAddress address = session.getIoSession().getRemoteAddress();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    /** A user name as the peer sent it, made safe to store and print. */
    public static String printableUser(String username) {
        if (username == null) {
            return null;
        }
        String cut = username.length() > MAX_NAME_IN_RECORDS ? username.substring(0, MAX_NAME_IN_RECORDS) + "..." : username;
        StringBuilder safe = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> safe.appendCodePoint(harmless(cp) ? cp : '?'));
        return safe.toString();
    }

    public static boolean isCustomer(Session session) {
        return session.getAttribute(CUSTOMER_KEY) != null;
    }

    /** Not a C0/C1 control, line or paragraph separator, or bidirectional control. */
    private static boolean harmless(int cp) {
        return !Character.isISOControl(cp) && cp != 0x2028 && cp != 0x2029 && cp != 0x200e && cp != 0x200f
                && !(cp >= 0x202a && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069);
    }

    /** True the first time this refusal is seen on this connection. */
    public static boolean firstRefusal(Session session, String refusal) {
        Set<String> seen = session.computeAttributeIfAbsent(AUDITED_REFUSALS, key -> ConcurrentHashMap.newKeySet());
        return seen.add(refusal);
    }
}
