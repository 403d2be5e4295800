package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import org.joinleaf.api.LPWSAOVERLAPPED_COMPLETION_ROUTINE;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAOVERLAPPED;
import org.joinleaf.spi.WsaException;

/**
 * {@code WSASend}/{@code WSASendTo}/{@code WSARecv}/{@code WSARecvFrom} (issue 13): WSABUF arrays gathered into one
 * message or scattered from one, over {@link DataPath}; and {@code recv} where a message larger than the buffer is
 * kept. What becomes of a message larger than the buffers is {@link MessageReceive}'s rule (decision 27).
 * Overlapped arguments are {@code WSAEINVAL}: no socket here is an overlapped socket (WSASend's documentation:
 * "the socket is not created with the overlapped flag").
 */
final class ScatterGather {
    private final DescriptorTable table;
    private final DataPath data;
    private final MessageReceive messages;

    ScatterGather(DescriptorTable table, DataPath data) {
        this.table = table;
        this.data = data;
        this.messages = new MessageReceive(data);
    }

    int send(SOCKET s, WSABUF[] buffers, int count, int[] sentOut, int flags, SOCKADDR to, int tolen,
             WSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine) throws WsaException {
        table.usable(s);
        refuseOverlapped(overlapped, routine);
        int total = checkBuffers(buffers, count);
        if (sentOut == null || sentOut.length < 1) {
            throw new WsaException(WSAEFAULT, "lpNumberOfBytesSent is required (no overlapped I/O)");
        }
        if ((flags & ~MSG_DONTROUTE) != 0) {
            throw new WsaException(WSAEOPNOTSUPP, "WSASend takes 0 or MSG_DONTROUTE; got 0x" + Integer.toHexString(flags));
        }
        byte[] message = new byte[total];
        int at = 0;
        for (int i = 0; i < count; i++) {
            System.arraycopy(buffers[i].buf, 0, message, at, buffers[i].len);
            at += buffers[i].len;
        }
        sentOut[0] = data.send(s, message, total, to, tolen);
        return 0;
    }

    int receive(SOCKET s, WSABUF[] buffers, int count, int[] receivedOut, int[] flagsInOut, SOCKADDR from,
                int[] fromlen, WSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
            throws WsaException {
        SocketRecord r = table.usable(s);
        refuseOverlapped(overlapped, routine);
        int capacity = checkBuffers(buffers, count);
        if (receivedOut == null || receivedOut.length < 1 || flagsInOut == null || flagsInOut.length < 1) {
            throw new WsaException(WSAEFAULT, "lpNumberOfBytesRecvd and lpFlags are required (no overlapped I/O)");
        }
        int flags = flagsInOut[0];
        checkReceiveFlags(flags, "WSARecv takes 0 or MSG_PEEK in lpFlags");
        SOCKADDR sender = from == null ? null : new SOCKADDR();
        int[] senderLen = from == null ? null : new int[] {fromlen == null || fromlen.length < 1 ? 0 : fromlen[0]};
        MessageReceive.Taken t = messages.take(r, s, capacity, flags, true, sender, senderLen);
        scatter(t.bytes(), t.length(), buffers, count);
        receivedOut[0] = t.length();
        flagsInOut[0] = t.end() == MessageReceive.End.PARTIAL ? MSG_PARTIAL : 0;
        copyFrom(t.from(), from, fromlen);
        if (t.end() == MessageReceive.End.TOO_BIG) {
            throw MessageReceive.tooBig(r, capacity);
        }
        return 0;
    }

    /**
     * {@code recv}/{@code recvfrom}: straight to {@link DataPath} unless the socket holds a message or its entry
     * keeps what does not fit ({@link MessageReceive}).
     */
    int recv(SOCKET s, byte[] buf, int len, int flags, SOCKADDR from, int[] fromlen) throws WsaException {
        SocketRecord r = table.usable(s);
        if (!r.hasPartial() && (!MessageReceive.holds(r)
                || messages.nextMessageSize(r, s, buf, len, flags, from, fromlen) <= len)) {
            return data.receive(r, buf, len, flags, from, fromlen); // nothing held, and it fits: no scratch
        }
        SocketArgs.checkBuffer(buf, len);
        checkReceiveFlags(flags, "only MSG_PEEK is supported among recv flags");
        if (from != null && (fromlen == null || fromlen.length < 1 || fromlen[0] < r.entry.info.iMinSockAddr)) {
            throw new WsaException(WSAEFAULT, "fromlen must be at least " + r.entry.info.iMinSockAddr + " bytes");
        }
        SOCKADDR sender = from == null ? null : new SOCKADDR();
        MessageReceive.Taken t = messages.take(r, s, len, flags, false, sender, fromlen == null ? null
                : new int[] {fromlen[0]});
        System.arraycopy(t.bytes(), 0, buf, 0, t.length());
        copyFrom(t.from(), from, fromlen);
        if (t.end() == MessageReceive.End.TOO_BIG) {
            throw MessageReceive.tooBig(r, len);
        }
        return t.length();
    }

    private static void checkReceiveFlags(int flags, String rule) throws WsaException {
        if ((flags & ~MSG_PEEK) != 0) {
            throw new WsaException(WSAEOPNOTSUPP, rule + "; got 0x" + Integer.toHexString(flags));
        }
    }

    private static void copyFrom(SOCKADDR sender, SOCKADDR from, int[] fromlen) {
        if (from != null && sender != null && sender.size() > 0) {
            from.set(sender);
            if (fromlen != null && fromlen.length > 0) {
                fromlen[0] = sender.size();
            }
        }
    }

    private static void scatter(byte[] message, int n, WSABUF[] buffers, int count) {
        int at = 0;
        for (int i = 0; i < count && at < n; i++) {
            int part = Math.min(buffers[i].len, n - at);
            System.arraycopy(message, at, buffers[i].buf, 0, part);
            at += part;
        }
    }

    /** WSAEFAULT unless the first {@code count} buffers exist and each holds its {@code len}; returns their sum. */
    private static int checkBuffers(WSABUF[] buffers, int count) throws WsaException {
        if (buffers == null || count < 1 || count > buffers.length) {
            throw new WsaException(WSAEFAULT, "lpBuffers must hold dwBufferCount (>= 1) WSABUFs; got "
                    + (buffers == null ? "null" : buffers.length) + " for a count of " + count);
        }
        long total = 0;
        for (int i = 0; i < count; i++) {
            WSABUF b = buffers[i];
            if (b == null || b.len < 0 || (b.len > 0 && (b.buf == null || b.buf.length < b.len))) {
                throw new WsaException(WSAEFAULT, "lpBuffers[" + i + "] must have buf of at least len bytes");
            }
            total += b.len;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new WsaException(WSAEFAULT, "the buffers add up to more than a Java array holds");
        }
        return (int) total;
    }

    static void refuseOverlapped(WSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
            throws WsaException {
        if (overlapped != null || routine != null) {
            throw new WsaException(WSAEINVAL, "overlapped I/O is not offered: pass lpOverlapped and"
                    + " lpCompletionRoutine as NULL (the socket is not an overlapped socket)");
        }
    }
}
