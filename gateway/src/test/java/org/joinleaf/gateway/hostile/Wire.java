package org.joinleaf.gateway.hostile;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The joinleaf TCP wire protocol (provider.tcp/PROTOCOL.md) as the bytes a raw peer writes and reads: a 4-byte
 * length counting the type octet and the body, the type, the body. Written from the document, as a third party would.
 */
final class Wire {
    static final int JOIN = 0x01;
    static final int ACCEPT = 0x03;
    static final int REJECT = 0x04;
    static final int DATA = 0x05;
    static final int LEAVE = 0x06;
    static final int PING = 0x07;
    static final int PONG = 0x08;
    /** The largest frame a default-configured gateway reads, length field included (PROTOCOL.md §2). */
    static final int MAX_FRAME = 65541;
    /** Bound on a frame we read: a well-behaved gateway never sends more. */
    private static final int MAX_READ = 1 << 20;

    /** One frame read from a peer. */
    record Frame(int type, byte[] body) {
    }

    private Wire() {
    }

    static byte[] frame(int type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).putInt(1 + body.length).put((byte) type).put(body).array();
    }

    /** JOIN: magic "JLTP", version 1, the direction (a Winsock2 JL_* flag), no caller data, no QoS. */
    static byte[] join(int direction) {
        return frame(JOIN, ByteBuffer.allocate(9).putInt(0x4A4C5450).put((byte) 1).put((byte) direction)
                .putShort((short) 0).put((byte) 0).array());
    }

    static byte[] data(byte[] message) {
        return frame(DATA, message);
    }

    static byte[] leave(int code) {
        return frame(LEAVE, ByteBuffer.allocate(4).putInt(code).array());
    }

    static byte[] ping() {
        return frame(PING, new byte[0]);
    }

    static byte[] pong() {
        return frame(PONG, new byte[0]);
    }

    /** {@code count} PING frames back to back: one write of a flood. */
    static byte[] pings(int count) {
        ByteBuffer b = ByteBuffer.allocate(5 * count);
        for (int i = 0; i < count; i++) {
            b.put(ping());
        }
        return b.array();
    }

    static Frame read(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 1 || length > MAX_READ) {
            throw new IOException("frame length " + length);
        }
        int type = in.readUnsignedByte();
        byte[] body = new byte[length - 1];
        in.readFully(body);
        return new Frame(type, body);
    }
}
