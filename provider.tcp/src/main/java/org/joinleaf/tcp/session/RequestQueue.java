package org.joinleaf.tcp.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.tcp.session.LimitCounters.Limit;

/**
 * The backlog of a listening socket: connection requests (JOIN on a root, INVITE on a leaf) waiting for
 * {@code WSAAccept}. Bounded by its capacity, the {@code listen} backlog capped by the configured {@code backlog}
 * (at least 1), and for a root also by {@code maxLeavesPerRoot} counting its links; a request over the second bound is
 * refused (REJECT, {@code WSAECONNREFUSED} at the caller), never queued.
 *
 * <p>Fairness under floods (issue 11, raw JOINs from 127.4.x.y; decision 42): {@code WSAAccept} takes the callers'
 * networks (/16 IPv4, /48 IPv6, as {@link MemberPlaces}) in turn, and within a network its prefixes (/24, /64) in
 * turn, each prefix's oldest first: a caller from another network waits for one request of the flood, however many
 * prefixes the flood spreads over. A full queue makes room the way the member places do: a caller whose network holds
 * at least two requests fewer than the busiest network is queued, and the newest request of that network's busiest
 * prefix is dropped instead ({@link Offer#dropped}); otherwise the caller is refused.
 */
final class RequestQueue {
    /** What {@link #offer} decided: the limit that refused the request, or the request dropped to queue it. */
    record Offer(Limit refused, PendingRequest dropped) {
        static final Offer QUEUED = new Offer(null, null);
    }

    /** One network's requests: per prefix oldest first, the first prefix's turn now, one that was served goes last. */
    private static final class Network {
        int size;
        final LinkedHashMap<HandshakeGate.Prefix, ArrayDeque<PendingRequest>> byPrefix = new LinkedHashMap<>();
    }

    /** The first network's turn is now; one whose request left goes last. */
    private final LinkedHashMap<HandshakeGate.Prefix, Network> byNetwork = new LinkedHashMap<>();
    private int size;
    private final int capacity;
    private final SocketUpcalls upcalls;

    RequestQueue(int capacity, SocketUpcalls upcalls) {
        this.capacity = capacity;
        this.upcalls = upcalls;
    }

    /**
     * Queues a request and posts {@code FD_ACCEPT}, or refuses it; a request dropped to make room is out of the queue
     * and the caller answers it.
     *
     * @param links    the listening socket's links already made (queued requests are counted here)
     * @param maxLinks the most links plus queued requests it may have
     */
    Offer offer(PendingRequest request, int links, int maxLinks) {
        PendingRequest dropped = null;
        synchronized (this) {
            if (size >= capacity) {
                dropped = newestOfBusiestOver(request.network());
                if (dropped == null || links + size - 1 >= maxLinks) {
                    return new Offer(Limit.REQUEST_QUEUE, null);
                }
                remove(dropped);
            } else if (links + size >= maxLinks) {
                return new Offer(Limit.LEAVES_PER_ROOT, null);
            }
            byNetwork.computeIfAbsent(request.network(), n -> new Network()).byPrefix
                    .computeIfAbsent(request.prefix(), p -> new ArrayDeque<>()).add(request);
            byNetwork.get(request.network()).size++;
            size++;
        }
        upcalls.post(Winsock2.FD_ACCEPT_BIT, 0);
        return dropped == null ? Offer.QUEUED : new Offer(null, dropped);
    }

    /** The newest request of the busiest network's busiest prefix, when it holds two more than {@code caller}'s. */
    private PendingRequest newestOfBusiestOver(HandshakeGate.Prefix caller) {
        Network busiest = null;
        for (Network n : byNetwork.values()) {
            if (busiest == null || n.size > busiest.size) {
                busiest = n;
            }
        }
        Network own = byNetwork.get(caller);
        if (busiest == null || (own == null ? 0 : own.size) + 1 >= busiest.size) {
            return null;
        }
        ArrayDeque<PendingRequest> top = null;
        for (ArrayDeque<PendingRequest> p : busiest.byPrefix.values()) {
            if (top == null || p.size() > top.size()) {
                top = p;
            }
        }
        return top.peekLast();
    }

    int capacity() {
        return capacity;
    }

    synchronized int size() {
        return size;
    }

    /** The request WSAAccept answers next: the oldest of the prefix, and of the network, whose turn it is. */
    synchronized PendingRequest head() {
        Iterator<Network> n = byNetwork.values().iterator();
        return n.hasNext() ? n.next().byPrefix.values().iterator().next().peek() : null;
    }

    /**
     * The first request, in the order {@link #head()} serves them (networks, then their prefixes, in turn, each
     * oldest first), that is not in {@code deciding} (other threads' WSAAccept calls hold those), or null.
     */
    synchronized PendingRequest head(Set<? extends ConnectionRequest> deciding) {
        for (Network n : byNetwork.values()) {
            for (ArrayDeque<PendingRequest> ofPrefix : n.byPrefix.values()) {
                for (PendingRequest request : ofPrefix) {
                    if (!deciding.contains(request)) {
                        return request;
                    }
                }
            }
        }
        return null;
    }

    /** The request left (answered, expired, withdrawn or dropped); the turn passes on. Idempotent. */
    synchronized void remove(PendingRequest request) {
        Network n = byNetwork.get(request.network());
        ArrayDeque<PendingRequest> ofPrefix = n == null ? null : n.byPrefix.get(request.prefix());
        if (ofPrefix == null || !ofPrefix.remove(request)) {
            return;
        }
        size--;
        n.size--;
        lastInTurn(n.byPrefix, request.prefix(), ofPrefix.isEmpty() ? null : ofPrefix);
        lastInTurn(byNetwork, request.network(), n.size == 0 ? null : n);
    }

    /** Moves {@code key} to the end of {@code turns} (its turn passed), or removes it when it has nothing left. */
    private static <V> void lastInTurn(Map<HandshakeGate.Prefix, V> turns, HandshakeGate.Prefix key, V left) {
        turns.remove(key);
        if (left != null) {
            turns.put(key, left);
        }
    }

    /** Empties the backlog (the listening socket closed) and returns what was queued. */
    synchronized PendingRequest[] drain() {
        List<PendingRequest> all = new ArrayList<>(size);
        byNetwork.values().forEach(n -> n.byPrefix.values().forEach(all::addAll));
        byNetwork.clear();
        size = 0;
        return all.toArray(new PendingRequest[0]);
    }
}
