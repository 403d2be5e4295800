package org.joinleaf.tcp.protocol;

/** The frame types of the joinleaf TCP wire protocol and their type octets (PROTOCOL.md §3). */
public enum FrameType {
    JOIN(0x01),
    INVITE(0x02),
    ACCEPT(0x03),
    REJECT(0x04),
    DATA(0x05),
    LEAVE(0x06),
    PING(0x07),
    PONG(0x08);

    private static final FrameType[] BY_CODE = new FrameType[9];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type octet on the wire. */
    public int code() {
        return code;
    }

    /** The type for an octet, or {@code null} when the protocol defines none. */
    public static FrameType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
