package org.joinleaf.bench.multicast;

import static org.joinleaf.api.Winsock2.WSA_MAXIMUM_WAIT_EVENTS;

import java.util.ArrayList;
import java.util.List;

/**
 * How receivers are spread over reader threads, the same for every variant: two threads (the benchmark machine's
 * cores), fewer when there are fewer receivers, more only so that no share exceeds one
 * {@code WSAWaitForMultipleEvents} call ({@value org.joinleaf.api.Winsock2#WSA_MAXIMUM_WAIT_EVENTS} events).
 */
final class ReaderShares {
    /** Datagrams taken from one socket per wake-up, so one busy socket cannot starve the rest of a share. */
    static final int RECEIVES_PER_VISIT = 512;
    private static final int THREADS = 2;

    private ReaderShares() {
    }

    static int threads(int receivers) {
        int needed = (receivers + WSA_MAXIMUM_WAIT_EVENTS - 1) / WSA_MAXIMUM_WAIT_EVENTS;
        return Math.max(Math.min(receivers, THREADS), needed);
    }

    /** {@code all} dealt round-robin into {@link #threads} shares. */
    static <T> List<List<T>> split(List<T> all) {
        int n = threads(all.size());
        List<List<T>> shares = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i++) {
            shares.get(i % n).add(all.get(i));
        }
        return shares;
    }
}
