package org.joinleaf.api;

/**
 * {@code WSABUF}: a caller-owned buffer. Winsock rules it carries (§3 R29–R32): the application owns every buffer
 * it passes; for {@code lpCalleeData}, {@code len} starts as the buffer size and the call rewrites it to the number
 * of bytes the peer sent back, or 0 if it sent none. For {@code lpCallerData}, the first {@code len} bytes of
 * {@code buf} are sent.
 */
public final class WSABUF {
    /** Number of valid bytes (in) or bytes returned (out). */
    public int len;
    /** The bytes; may be longer than {@code len}. */
    public byte[] buf;

    /** An empty buffer ({@code len} 0, no bytes). */
    public WSABUF() {
    }

    /** A buffer of {@code len} bytes backed by {@code buf}. */
    public WSABUF(int len, byte[] buf) {
        this.len = len;
        this.buf = buf;
    }

    /** A buffer holding exactly these bytes. */
    public static WSABUF of(byte[] bytes) {
        return new WSABUF(bytes.length, bytes);
    }

    /** An output buffer with room for {@code capacity} bytes. */
    public static WSABUF allocate(int capacity) {
        return new WSABUF(capacity, new byte[capacity]);
    }

    /** A copy of the first {@code len} bytes, clamped to the array. */
    public byte[] toBytes() {
        if (buf == null || len <= 0) {
            return new byte[0];
        }
        return java.util.Arrays.copyOf(buf, Math.min(len, buf.length));
    }
}
