package org.joinleaf.api;

/**
 * {@code WSAOVERLAPPED}: present so ported signatures keep their shape. Overlapped I/O is not offered: every call
 * that takes one fails with {@code WSAEINVAL} when it is not {@code null} (the socket is not an overlapped socket).
 */
public final class WSAOVERLAPPED {
    public long Internal;
    public long InternalHigh;
    public int Offset;
    public int OffsetHigh;
    public WSAEVENT hEvent;
}
