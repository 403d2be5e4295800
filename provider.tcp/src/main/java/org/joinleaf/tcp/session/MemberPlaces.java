package org.joinleaf.tcp.session;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The member places of one root ({@code maxLeavesPerRoot}) shared between networks (decision 35). Members are
 * counted per wide network (/16 IPv4, /48 IPv6) and within it per prefix (/24, /64, as {@link HandshakeGate}). When
 * every place is taken, a caller whose network holds fewer places than the busiest one, by at least two, may have a
 * place: the newest member of that network's busiest prefix gives it up. The two levels matter: a flood spread over
 * dozens of /24s of one /16 (issue 11: 127.4.x.y) is still one busy network, and a caller from the flooding /16 but
 * another /24 is still compared within it. "At least two" keeps it stable: after the swap the caller's network holds
 * no more than the one that gave way, so the two never take places back and forth.
 *
 * <p>Thread-safe: members come and go on event loops and application threads.
 *
 * @param <M> a member (the root's c_leaf link; anything in tests)
 */
final class MemberPlaces<M> {
    private record Place(HandshakeGate.Prefix network, HandshakeGate.Prefix prefix) {
    }

    /** One wide network: its member count and, per prefix, its members oldest first. */
    private static final class Network<M> {
        int members;
        final Map<HandshakeGate.Prefix, ArrayDeque<M>> byPrefix = new HashMap<>();
    }

    private final Map<HandshakeGate.Prefix, Network<M>> byNetwork = new HashMap<>();
    private final Map<M, Place> places = new IdentityHashMap<>();

    /** Counts {@code member}, joined from {@code source}; idempotent. */
    synchronized void add(M member, InetAddress source) {
        Place p = new Place(HandshakeGate.Prefix.network(source), HandshakeGate.Prefix.of(source));
        if (places.putIfAbsent(member, p) != null) {
            return;
        }
        Network<M> n = byNetwork.computeIfAbsent(p.network(), k -> new Network<>());
        n.members++;
        n.byPrefix.computeIfAbsent(p.prefix(), k -> new ArrayDeque<>()).addLast(member);
    }

    /** No longer counts {@code member} (it left, was evicted or displaced); idempotent. */
    synchronized void remove(M member) {
        Place p = places.remove(member);
        if (p == null) {
            return;
        }
        Network<M> n = byNetwork.get(p.network());
        ArrayDeque<M> ofPrefix = n.byPrefix.get(p.prefix());
        ofPrefix.remove(member);
        if (ofPrefix.isEmpty()) {
            n.byPrefix.remove(p.prefix());
        }
        if (--n.members == 0) {
            byNetwork.remove(p.network());
        }
    }

    /** True when a caller from {@code source} may take a place from a busier network (see {@link #yieldTo}). */
    synchronized boolean wouldYieldTo(InetAddress source) {
        return busiestPrefixOver(source) != null;
    }

    /**
     * The member that gives its place to a caller from {@code source}, no longer counted here, or null when the
     * caller's own network (or prefix, within the busiest network) already holds its share: the caller then waits
     * for a place like anyone else. The caller tells the member why and closes it.
     */
    synchronized M yieldTo(InetAddress source) {
        ArrayDeque<M> from = busiestPrefixOver(source);
        if (from == null) {
            return null;
        }
        M newest = from.peekLast();
        remove(newest);
        return newest;
    }

    /** The busiest prefix of the busiest network, when it holds at least two places more than the caller's own. */
    private ArrayDeque<M> busiestPrefixOver(InetAddress source) {
        Network<M> busiest = busiest(byNetwork);
        if (busiest == null) {
            return null;
        }
        Network<M> own = byNetwork.get(HandshakeGate.Prefix.network(source));
        if (own != busiest) {
            int held = own == null ? 0 : own.members;
            return held + 1 < busiest.members ? busiestPrefix(busiest) : null;
        }
        ArrayDeque<M> top = busiestPrefix(busiest);
        ArrayDeque<M> mine = busiest.byPrefix.get(HandshakeGate.Prefix.of(source));
        int held = mine == null ? 0 : mine.size();
        return mine != top && held + 1 < top.size() ? top : null;
    }

    private static <M> Network<M> busiest(Map<HandshakeGate.Prefix, Network<M>> networks) {
        Network<M> busiest = null;
        for (Network<M> n : networks.values()) {
            if (busiest == null || n.members > busiest.members) {
                busiest = n;
            }
        }
        return busiest;
    }

    private static <M> ArrayDeque<M> busiestPrefix(Network<M> n) {
        ArrayDeque<M> busiest = null;
        for (ArrayDeque<M> p : n.byPrefix.values()) {
            if (busiest == null || p.size() > busiest.size()) {
                busiest = p;
            }
        }
        return busiest;
    }

    /** Members counted (tests, diagnostics). */
    synchronized int size() {
        return places.size();
    }
}
