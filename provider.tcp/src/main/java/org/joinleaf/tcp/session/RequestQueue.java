package org.joinleaf.tcp.session;

import java.util.ArrayDeque;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.SocketUpcalls;

/**
 * The backlog of a listening socket: connection requests (JOIN on a root, INVITE on a leaf) waiting for
 * {@code WSAAccept}, bounded by the {@code listen} backlog (capped by the configured maximum).
 */
final class RequestQueue {
    private final ArrayDeque<PendingRequest> requests = new ArrayDeque<>();
    private final int capacity;
    private final SocketUpcalls upcalls;

    RequestQueue(int capacity, SocketUpcalls upcalls) {
        this.capacity = capacity;
        this.upcalls = upcalls;
    }

    /** Queues a request and posts {@code FD_ACCEPT}; false when the backlog is full. */
    boolean offer(PendingRequest request) {
        synchronized (this) {
            if (requests.size() >= capacity) {
                return false;
            }
            requests.add(request);
        }
        upcalls.post(Winsock2.FD_ACCEPT_BIT, 0);
        return true;
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
