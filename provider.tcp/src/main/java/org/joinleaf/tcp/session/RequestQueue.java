package org.joinleaf.tcp.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.tcp.session.LimitCounters.Limit;

/**
 * The backlog of a listening socket: connection requests (JOIN on a root, INVITE on a leaf) waiting for
 * {@code WSAAccept}. Bounded by its capacity, the {@code listen} backlog capped by the configured {@code backlog}
 * (at least 1), and for a root also by {@code maxLeavesPerRoot} counting its links; a request over either bound is
 * refused (REJECT, {@code WSAECONNREFUSED} at the caller), never queued.
 *
 * <p>Fairness under floods (issue 11, raw JOINs from 127.4.x.y): {@code WSAAccept} takes the requests of the callers'
 * prefixes (/24 IPv4, /64 IPv6, as {@link HandshakeGate}) in turn, each prefix's oldest first, so a caller from
 * another network waits for one request per busy prefix, not for every request a flood queued before it.
 */
final class RequestQueue {
    /** Per prefix its requests oldest first; the first prefix's turn is now, one whose request left goes last. */
    private final LinkedHashMap<HandshakeGate.Prefix, ArrayDeque<PendingRequest>> byPrefix = new LinkedHashMap<>();
    private int size;
    private final int capacity;
    private final SocketUpcalls upcalls;

    RequestQueue(int capacity, SocketUpcalls upcalls) {
        this.capacity = capacity;
        this.upcalls = upcalls;
    }

    /**
     * Queues a request and posts {@code FD_ACCEPT}; returns the limit that refused it instead, or null.
     *
     * @param links    the listening socket's links already made (queued requests are counted here)
     * @param maxLinks the most links plus queued requests it may have
     */
    Limit offer(PendingRequest request, int links, int maxLinks) {
        synchronized (this) {
            if (size >= capacity) {
                return Limit.REQUEST_QUEUE;
            }
            if (links + size >= maxLinks) {
                return Limit.LEAVES_PER_ROOT;
            }
            byPrefix.computeIfAbsent(request.prefix(), p -> new ArrayDeque<>()).add(request);
            size++;
        }
        upcalls.post(Winsock2.FD_ACCEPT_BIT, 0);
        return null;
    }

    int capacity() {
        return capacity;
    }

    synchronized int size() {
        return size;
    }

    /** The request WSAAccept answers next: the oldest of the prefix whose turn it is. */
    synchronized PendingRequest head() {
        return byPrefix.isEmpty() ? null : byPrefix.values().iterator().next().peek();
    }

    /**
     * The first request, in the order {@link #head()} serves them (prefixes in turn, each oldest first), that is not
     * in {@code deciding} (other threads' WSAAccept calls hold those), or null.
     */
    synchronized PendingRequest head(Set<? extends ConnectionRequest> deciding) {
        for (ArrayDeque<PendingRequest> ofPrefix : byPrefix.values()) {
            for (PendingRequest request : ofPrefix) {
                if (!deciding.contains(request)) {
                    return request;
                }
            }
        }
        return null;
    }

    /** The request left (answered, expired or withdrawn); its prefix's turn passes to the next. Idempotent. */
    synchronized void remove(PendingRequest request) {
        ArrayDeque<PendingRequest> ofPrefix = byPrefix.get(request.prefix());
        if (ofPrefix == null || !ofPrefix.remove(request)) {
            return;
        }
        size--;
        byPrefix.remove(request.prefix());
        if (!ofPrefix.isEmpty()) {
            byPrefix.put(request.prefix(), ofPrefix);
        }
    }

    /** Empties the backlog (the listening socket closed) and returns what was queued. */
    synchronized PendingRequest[] drain() {
        List<PendingRequest> all = new ArrayList<>(size);
        byPrefix.values().forEach(all::addAll);
        byPrefix.clear();
        size = 0;
        return all.toArray(new PendingRequest[0]);
    }
}
