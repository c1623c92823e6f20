package com.linbit.tunl.protocol;

/**
 * A frame of a type this build does not know. Its body has been read, so the stream is still in
 * step: a reader that expects a newer peer may skip the frame; the relay refuses it.
 */
public final class UnknownFrameTypeException extends ProtocolException {

    private final int code;

    public UnknownFrameTypeException(int code) {
        super("unknown frame type 0x" + Integer.toHexString(code));
        this.code = code;
    }

    public int code() {
        return code;
    }
}
