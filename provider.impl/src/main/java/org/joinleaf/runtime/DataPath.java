package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/**
 * {@code send}/{@code sendto} and {@code recv}/{@code recvfrom}: the direction rule (decisions 6), the blocking
 * loop over the provider's non-blocking calls bounded by {@code SO_SNDTIMEO}/{@code SO_RCVTIMEO}, counters, and the re-arming of {@code FD_WRITE} and {@code FD_READ}
 * (§4).
 */
final class DataPath {
    /** Per thread: the wrapper of the array it last received into ({@link #wrap}). */
    private static final ThreadLocal<ByteBuffer[]> RECEIVE_WRAPPER = ThreadLocal.withInitial(() -> new ByteBuffer[1]);
    /** Per thread: the wrapper of the array it last sent from (the provider copies what it keeps, by contract). */
    private static final ThreadLocal<ByteBuffer[]> SEND_WRAPPER = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    private final DescriptorTable table;

    DataPath(DescriptorTable table) {
        this.table = table;
    }

    /**
     * {@code send} and {@code WSASend}, which name no destination: on a datagram socket without a default one
     * (never connected, or its destination cleared) their documentation says {@code WSAENOTCONN}, where
     * {@code sendto}/{@code WSASendTo} without an address say {@code WSAEDESTADDRREQ}.
     */
    static WsaException connectedOnly(WsaException e) {
        if (e.code() != WSAEDESTADDRREQ) {
            return e;
        }
        return new WsaException(WSAENOTCONN, "the socket has no default destination: connect it first, or use "
                + "sendto with an address");
    }

    /** {@code send}: {@link #send} without a destination, its failure as {@link #connectedOnly(WsaException)}. */
    int sendConnected(SOCKET s, byte[] buf, int len) throws WsaException {
        try {
            return send(s, buf, len, null, 0);
        } catch (WsaException e) {
            throw connectedOnly(e);
        }
    }

    int send(SOCKET s, byte[] buf, int len, SOCKADDR to, int tolen) throws WsaException {
        SocketRecord r = table.usable(s);
        if (r.direction() == JL_RECEIVER_ONLY) {
            throw new WsaException(WSAESHUTDOWN, s + " joined with JL_RECEIVER_ONLY and cannot send (decisions 6)");
        }
        SocketArgs.checkBuffer(buf, len);
        SOCKADDR dest = null;
        if (to != null) {
            SocketArgs.checkName(r, to, tolen);
            dest = new SOCKADDR().set(to);
        }
        ProviderSocket t = DescriptorTable.transportOf(r);
        ByteBuffer message = wrap(SEND_WRAPPER, buf, len);
        while (true) {
            long seen = r.changes();
            try {
                int n = t.send(message, dest);
                r.counters.sent(n);
                return n;
            } catch (WsaException e) {
                if (e.code() == WSAEWOULDBLOCK) {
                    r.afterSendWouldBlock();
                    if (r.isNonBlocking()) {
                        throw e;
                    }
                } else if (!e.isWaitable() || r.isNonBlocking()) {
                    // waitable (a provider-wide budget is full): only a blocking caller waits, for its FD_WRITE
                    r.counters.error(e.code());
                    throw r.providerFailure(e);
                }
                r.awaitChange(seen, r.options.millis(SocketOption.SO_SNDTIMEO_), "send");
            }
        }
    }

    /**
     * {@code recv}/{@code recvfrom} on {@code r}, which the caller looked up as usable for this call (one lookup
     * per call: the record of a descriptor closed meanwhile fails in the provider or in the wait).
     */
    int receive(SocketRecord r, byte[] buf, int len, int flags, SOCKADDR from, int[] fromlen) throws WsaException {
        if (r.direction() == JL_SENDER_ONLY) {
            throw new WsaException(WSAESHUTDOWN, r.handle + " joined with JL_SENDER_ONLY and cannot receive (decisions 6)");
        }
        SocketArgs.checkBuffer(buf, len);
        if (from != null && (fromlen == null || fromlen.length < 1 || fromlen[0] < r.entry.info.iMinSockAddr)) {
            throw new WsaException(WSAEFAULT, "fromlen must be at least " + r.entry.info.iMinSockAddr + " bytes");
        }
        if ((flags & ~MSG_PEEK) != 0) {
            throw new WsaException(WSAEOPNOTSUPP, "only MSG_PEEK is supported among recv flags");
        }
        ProviderSocket t = DescriptorTable.transportOf(r);
        ByteBuffer into = wrap(RECEIVE_WRAPPER, buf, len);
        SOCKADDR sender = from == null ? null : new SOCKADDR();
        while (true) {
            long seen = r.changes();
            try {
                int n = t.receive(into, sender, (flags & MSG_PEEK) != 0);
                fillFrom(from, fromlen, sender);
                if ((flags & MSG_PEEK) == 0) {
                    r.counters.received(n);
                }
                return n;
            } catch (WsaException e) {
                if (e.code() != WSAEWOULDBLOCK) {
                    r.counters.error(e.code());
                }
                if (e.code() == WSAEMSGSIZE) {
                    fillFrom(from, fromlen, sender);
                    throw e;
                }
                if (e.code() != WSAEWOULDBLOCK || r.isNonBlocking()) {
                    throw r.providerFailure(e);
                }
                r.awaitChange(seen, r.options.millis(SocketOption.SO_RCVTIMEO_), "recv");
            } finally {
                r.afterReceive(t);
            }
        }
    }

    /**
     * {@code buf}'s first {@code len} bytes as a buffer, the same one each time a thread receives into (or sends from)
     * the same array, as a loop does: one wrapper per message was the runtime's only allocation per {@code recv} and
     * {@code send} (issue 14). The thread keeps the application's last array reachable until it uses another.
     */
    private static ByteBuffer wrap(ThreadLocal<ByteBuffer[]> wrapper, byte[] buf, int len) {
        ByteBuffer[] last = wrapper.get();
        ByteBuffer b = last[0];
        if (b == null || b.array() != buf) {
            b = ByteBuffer.wrap(buf);
            last[0] = b;
        }
        b.clear().limit(len);
        return b;
    }

    private static void fillFrom(SOCKADDR from, int[] fromlen, SOCKADDR sender) {
        if (from != null && sender != null && sender.size() > 0) {
            from.set(sender);
            fromlen[0] = sender.size();
        }
    }
}
