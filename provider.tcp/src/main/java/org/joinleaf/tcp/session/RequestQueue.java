package org.joinleaf.tcp.session;

import java.util.ArrayDeque;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.tcp.session.LimitCounters.Limit;

/**
 * The backlog of a listening socket: connection requests (JOIN on a root, INVITE on a leaf) waiting for
 * {@code WSAAccept}. Bounded by its capacity, the {@code listen} backlog capped by the configured {@code backlog}
 * (at least 1), and for a root also by {@code maxLeavesPerRoot} counting its links; a request over either bound is
 * refused (REJECT, {@code WSAECONNREFUSED} at the caller), never queued.
 */
final class RequestQueue {
    private final ArrayDeque<PendingRequest> requests = new ArrayDeque<>();
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
            if (requests.size() >= capacity) {
                return Limit.REQUEST_QUEUE;
            }
            if (links + requests.size() >= maxLinks) {
                return Limit.LEAVES_PER_ROOT;
            }
            requests.add(request);
        }
        upcalls.post(Winsock2.FD_ACCEPT_BIT, 0);
        return null;
    }

    int capacity() {
        return capacity;
    }

    synchronized int size() {
        return requests.size();
    }

    synchronized PendingRequest head() {
        return requests.peek();
    }

    synchronized void remove(PendingRequest request) {
        requests.remove(request);
    }

    /** Empties the backlog (the listening socket closed) and returns what was queued. */
    synchronized PendingRequest[] drain() {
        PendingRequest[] all = requests.toArray(new PendingRequest[0]);
        requests.clear();
        return all;
    }
}
