package org.joinleaf.api;

/**
 * A socket descriptor. Winsock rule: a descriptor is an opaque value valid only in the process that created it;
 * in joinleaf each bundle using the {@link Winsock} service is one process, so a descriptor from another bundle
 * fails with {@code WSAENOTSOCK}. Failure is the single {@link #INVALID_SOCKET} instance ({@code (SOCKET)~0}), so
 * {@code s == INVALID_SOCKET} works as in C.
 */
public final class SOCKET {
    /** {@code INVALID_SOCKET}: all ones. Every failing call returns this very instance. */
    public static final SOCKET INVALID_SOCKET = new SOCKET(~0L);

    private final long value;

    private SOCKET(long value) {
        this.value = value;
    }

    /** The descriptor with this value; {@code ~0} gives {@link #INVALID_SOCKET} itself. */
    public static SOCKET of(long value) {
        return value == ~0L ? INVALID_SOCKET : new SOCKET(value);
    }

    /** The descriptor's numeric value. */
    public long value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SOCKET && ((SOCKET) o).value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return this == INVALID_SOCKET ? "INVALID_SOCKET" : "SOCKET(0x" + Long.toHexString(value) + ")";
    }
}
