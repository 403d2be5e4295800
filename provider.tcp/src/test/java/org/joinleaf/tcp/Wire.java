package org.joinleaf.tcp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Raw byte sequences of the wire protocol (PROTOCOL.md §2–§4), well-formed or deliberately not, for test peers. */
final class Wire {
    static final int MAGIC = 0x4A4C5450;

    private Wire() {
    }

    /** A frame: length prefix (type + body), type octet, body. */
    static byte[] frame(int type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).putInt(1 + body.length).put((byte) type).put(body).array();
    }

    /** Only a length prefix, announcing {@code length} bytes (which may never come). */
    static byte[] lengthOnly(int length) {
        return ByteBuffer.allocate(4).putInt(length).array();
    }

    static byte[] int32(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    /** A JOIN or INVITE body field by field: any value may be out of range on purpose. */
    static byte[] joinBody(int magic, int version, int direction, int declaredDataLength, byte[] data, int hasQos,
                           int flowspecInts) {
        ByteBuffer b = ByteBuffer.allocate(9 + data.length + 4 * flowspecInts);
        b.putInt(magic).put((byte) version).put((byte) direction).putShort((short) declaredDataLength).put(data)
                .put((byte) hasQos);
        for (int i = 0; i < flowspecInts; i++) {
            b.putInt(1000 + i);
        }
        return b.array();
    }

    /** A well-formed JOIN body: JL_BOTH, the given caller data, no QoS. */
    static byte[] joinBody(byte[] callerData) {
        return joinBody(MAGIC, 1, 4, callerData.length, callerData, 0, 0);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
