package org.joinleaf.local;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.Winsock2;

/**
 * The bounded queue of join requests of a listening socket (a c_root, or a c_leaf waiting for invitations). Posts
 * {@code FD_ACCEPT} on its owner for every queued request and again while requests remain after one is answered.
 * Innermost lock: no method calls out.
 */
final class RequestQueue {
    /** Upper bound of a {@code listen} backlog, whatever the application asks ({@code SOMAXCONN} included). */
    static final int MAX = 1024;

    private final LocalSocket owner;
    private final int capacity;
    private final ArrayDeque<PendingRequest> requests = new ArrayDeque<>();

    RequestQueue(LocalSocket owner, int backlog) {
        this.owner = owner;
        this.capacity = Math.max(1, Math.min(backlog, MAX));
    }

    /** Queues {@code p}; false when the backlog is full. */
    boolean offer(PendingRequest p, Outbox out) {
        synchronized (this) {
            if (requests.size() >= capacity) {
                return false;
            }
            requests.add(p);
        }
        out.post(owner.upcalls, Winsock2.FD_ACCEPT_BIT, 0);
        return true;
    }

    synchronized PendingRequest peek() {
        return requests.peek();
    }

    /** Drops {@code p} (answered, expired or withdrawn). */
    void remove(PendingRequest p, Outbox out) {
        boolean more;
        synchronized (this) {
            more = requests.remove(p) && !requests.isEmpty();
        }
        if (more) {
            out.post(owner.upcalls, Winsock2.FD_ACCEPT_BIT, 0);
        }
    }

    /** Empties the queue (the owner is closing) and returns what was in it. */
    synchronized List<PendingRequest> drain() {
        List<PendingRequest> all = new ArrayList<>(requests);
        requests.clear();
        return all;
    }
}
