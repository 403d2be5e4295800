package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.util.Arrays;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/**
 * One receive on a message-oriented socket, for {@code recv} and {@code WSARecv} alike (issue 13): what becomes of
 * a message larger than the caller's buffers, as Winsock documents it (decision 27).
 * <ul>
 * <li>{@code WSARecv} on an entry with {@code XP1_PARTIAL_MESSAGE}: the head with {@code MSG_PARTIAL}; the next
 * receive gets the rest, in pieces flagged the same way until the last one.</li>
 * <li>A reliable entry ({@code XP1_GUARANTEED_DELIVERY}), and {@code recv}, which cannot say {@code MSG_PARTIAL}:
 * the head and {@code WSAEMSGSIZE}, and the whole message stays for a receive with a buffer large enough.</li>
 * <li>Any other (UDP): the head and {@code WSAEMSGSIZE}; the rest is lost.</li>
 * </ul>
 * The runtime receives such a message whole, into a scratch of its size, and holds at most one per socket
 * ({@link PartialMessage}), bounded by the provider's message size.
 */
final class MessageReceive {
    /** How a message ended for the caller. */
    enum End {
        /** It fitted. */
        WHOLE,
        /** The head, with {@code MSG_PARTIAL}: the rest is held. */
        PARTIAL,
        /** The head, and {@code WSAEMSGSIZE}: the message is held (reliable entry) or its rest lost. */
        TOO_BIG
    }

    /** The first {@code length} bytes of {@code bytes} are the caller's; {@code from} names the sender or is null. */
    record Taken(byte[] bytes, int length, SOCKADDR from, End end) {
    }

    private final DataPath data;

    MessageReceive(DataPath data) {
        this.data = data;
    }

    /** True when the entry keeps what a receive did not hand out, so that it must be received whole. */
    static boolean holds(SocketRecord r) {
        WSAPROTOCOL_INFO i = r.entry.info;
        return i.has(XP1_MESSAGE_ORIENTED) && (i.has(XP1_PARTIAL_MESSAGE) || i.has(XP1_GUARANTEED_DELIVERY));
    }

    /**
     * The held message, else the next one from the provider (waiting as {@link DataPath} does); {@code sender} and
     * {@code senderLen} as {@code DataPath.receive} takes them. {@code partialAllowed}: the caller can say
     * {@code MSG_PARTIAL} ({@code WSARecv}).
     */
    Taken take(SocketRecord r, SOCKET s, int capacity, int flags, boolean partialAllowed, SOCKADDR sender,
               int[] senderLen) throws WsaException {
        boolean peek = (flags & MSG_PEEK) != 0;
        PartialMessage held = r.takePartial();
        byte[] message;
        int n;
        SOCKADDR from;
        if (held != null) {
            if (peek) {
                r.keepPartial(held);
            }
            message = held.rest;
            n = message.length;
            from = held.from;
        } else {
            int size = holds(r) ? Math.max(capacity, nextMessageSize(r, s, new byte[capacity], capacity, flags,
                    sender, senderLen)) : capacity;
            message = new byte[size];
            try {
                n = data.receive(r, message, size, flags, sender, senderLen);
            } catch (WsaException e) {
                if (e.code() == WSAEMSGSIZE) { // larger than any scratch: the provider kept only the head
                    return new Taken(message, Math.min(capacity, size), sender, End.TOO_BIG);
                }
                throw e;
            }
            from = sender;
        }
        if (n <= capacity) {
            return new Taken(message, n, from, End.WHOLE);
        }
        if (partialAllowed && r.entry.info.has(XP1_PARTIAL_MESSAGE)) {
            if (!peek) {
                hold(r, Arrays.copyOfRange(message, capacity, n), from);
            }
            return new Taken(message, capacity, from, End.PARTIAL);
        }
        if (!peek && holds(r)) {
            hold(r, message.length == n ? message : Arrays.copyOf(message, n), from);
        }
        return new Taken(message, capacity, from, End.TOO_BIG);
    }

    /** The WSAEMSGSIZE a TOO_BIG receive fails with. */
    static WsaException tooBig(SocketRecord r, int capacity) {
        return new WsaException(WSAEMSGSIZE, "the message is larger than the " + capacity + " bytes of the buffers;"
                + (holds(r) ? " it stays queued whole: receive it with a larger buffer"
                : " they hold its head and the rest is discarded"));
    }

    /**
     * The size of the next message. When none is queued, waits for one as a receive does (blocking, or
     * {@code WSAEWOULDBLOCK}) with a peek into {@code peekInto} (the caller's capacity), which leaves even a larger
     * message queued: no scratch of the entry's message size is held while waiting.
     */
    int nextMessageSize(SocketRecord r, SOCKET s, byte[] peekInto, int capacity, int flags, SOCKADDR sender,
                        int[] senderLen) throws WsaException {
        ProviderSocket t = DescriptorTable.transportOf(r);
        int queued = t.available();
        if (queued == 0) {
            try {
                data.receive(r, peekInto, capacity, flags | MSG_PEEK, sender, senderLen);
            } catch (WsaException e) {
                if (e.code() != WSAEMSGSIZE) {
                    throw e;
                }
            }
            queued = t.available();
        }
        return queued;
    }

    /** Holds the message (or its rest) and announces it: level-triggered FD_READ, as for queued data. */
    private static void hold(SocketRecord r, byte[] bytes, SOCKADDR from) {
        r.keepPartial(new PartialMessage(bytes, from));
        r.afterReceive(true);
    }
}
