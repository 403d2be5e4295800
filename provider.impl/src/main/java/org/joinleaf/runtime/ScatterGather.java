package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.util.Arrays;
import org.joinleaf.api.LPWSAOVERLAPPED_COMPLETION_ROUTINE;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAOVERLAPPED;
import org.joinleaf.spi.WsaException;

/**
 * {@code WSASend}/{@code WSASendTo}/{@code WSARecv}/{@code WSARecvFrom} (issue 13): WSABUF arrays gathered into one
 * message or scattered from one, over {@link DataPath}. A message larger than the buffers: on an entry with
 * {@code XP1_MESSAGE_ORIENTED | XP1_PARTIAL_MESSAGE} the buffers get its head with {@code MSG_PARTIAL} and the
 * next call its rest (the runtime keeps at most one message's rest per socket); on any other message entry the
 * rest is lost and the call fails with {@code WSAEMSGSIZE}, the count set to the bytes delivered.
 * Overlapped arguments are {@code WSAEINVAL}: no socket here is an overlapped socket (WSASend's documentation:
 * "the socket is not created with the overlapped flag").
 */
final class ScatterGather {
    /** The scratch a partial-message receive uses when the entry's message size is unlimited or unknown. */
    static final int PARTIAL_SCRATCH_LIMIT = 1 << 20;

    private final DescriptorTable table;
    private final DataPath data;

    ScatterGather(DescriptorTable table, DataPath data) {
        this.table = table;
        this.data = data;
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
        if ((flags & ~MSG_PEEK) != 0) {
            throw new WsaException(WSAEOPNOTSUPP, "WSARecv takes 0 or MSG_PEEK in lpFlags; got 0x"
                    + Integer.toHexString(flags));
        }
        boolean peek = (flags & MSG_PEEK) != 0;
        PartialMessage rest = r.takePartial();
        if (rest != null) {
            return handOut(r, rest.rest, rest.rest.length, rest.from, buffers, count, capacity, receivedOut,
                    flagsInOut, from, fromlen, peek, peek ? rest : null);
        }
        boolean partialEntry = r.entry.info.has(XP1_MESSAGE_ORIENTED) && r.entry.info.has(XP1_PARTIAL_MESSAGE);
        byte[] scratch = new byte[partialEntry ? Math.max(capacity, messageLimit(r)) : capacity];
        SOCKADDR sender = from == null ? null : new SOCKADDR();
        int[] senderLen = from == null ? null : new int[] {fromlen == null || fromlen.length < 1 ? 0 : fromlen[0]};
        int n;
        try {
            n = data.receive(s, scratch, scratch.length, flags, sender, senderLen);
        } catch (WsaException e) {
            if (e.code() == WSAEMSGSIZE) { // the buffers hold the head of the message, the rest is lost
                scatter(scratch, Math.min(capacity, scratch.length), buffers, count);
                receivedOut[0] = Math.min(capacity, scratch.length);
                flagsInOut[0] = 0;
                copyFrom(sender, from, fromlen);
            }
            throw e;
        }
        return handOut(r, scratch, n, sender, buffers, count, capacity, receivedOut, flagsInOut, from, fromlen,
                peek, null);
    }

    /** Scatters {@code n} bytes; what does not fit stays for the next call with MSG_PARTIAL (partial entries). */
    private static int handOut(SocketRecord r, byte[] message, int n, SOCKADDR sender, WSABUF[] buffers, int count,
                               int capacity, int[] receivedOut, int[] flagsInOut, SOCKADDR from, int[] fromlen,
                               boolean peek, PartialMessage unchangedWhenPeeking) {
        int given = Math.min(n, capacity);
        scatter(message, given, buffers, count);
        receivedOut[0] = given;
        if (peek) {
            r.keepPartial(unchangedWhenPeeking);
            flagsInOut[0] = n > capacity ? MSG_PARTIAL : 0;
        } else if (n > capacity) {
            r.keepPartial(new PartialMessage(Arrays.copyOfRange(message, given, n), sender));
            flagsInOut[0] = MSG_PARTIAL;
        } else {
            flagsInOut[0] = 0;
        }
        copyFrom(sender, from, fromlen);
        return 0;
    }

    private static void copyFrom(SOCKADDR sender, SOCKADDR from, int[] fromlen) {
        if (from != null && sender != null && sender.size() > 0) {
            from.set(sender);
            if (fromlen != null && fromlen.length > 0) {
                fromlen[0] = sender.size();
            }
        }
    }

    private static int messageLimit(SocketRecord r) {
        int size = r.entry.info.dwMessageSize;
        return size > 0 && size <= PARTIAL_SCRATCH_LIMIT ? size : PARTIAL_SCRATCH_LIMIT;
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
