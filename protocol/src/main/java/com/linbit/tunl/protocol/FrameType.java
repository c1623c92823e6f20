package com.linbit.tunl.protocol;

/** Every frame type of protocol version 3; see docs/protocol.md for each one's fields. */
public enum FrameType {
    // agent -> relay
    HELLO(0x01),
    OUTPUT(0x02),
    SNAPSHOT(0x03),
    RESIZE(0x04),
    CUSTOMER_CHAT(0x05),
    END(0x06),
    TUNNEL_DECISION(0x07),
    OUTPUT_GAP(0x08),
    AGENT_NOTICE(0x09),
    // relay -> agent
    WELCOME(0x81),
    INPUT(0x82),
    CHAT(0x83),
    STATUS(0x84),
    NOTICE(0x85),
    SNAPSHOT_REQUEST(0x86),
    ERROR(0x87),
    ENDED(0x88),
    TUNNEL_REQUEST(0x89),
    ACK(0x8a);

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean fromAgent() {
        return code < 0x80;
    }

    public static FrameType of(int code) throws ProtocolException {
        for (FrameType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new UnknownFrameTypeException(code);
    }
}
