package org.joinleaf.tcp.session;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.joinleaf.tcp.session.LimitCounters.Limit;

/**
 * {@code maxPendingHandshakes} and {@code maxPendingHandshakesPerSource}: how many accepted connections have not
 * sent their opening frame yet, in all and per source IP. The per-source table only holds sources with a pending
 * handshake, so it is bounded by the total cap.
 */
final class HandshakeGate {
    private final int perSource;
    private final int total;
    private final Map<InetAddress, Integer> bySource = new HashMap<>();
    private int pending;

    HandshakeGate(int perSource, int total) {
        this.perSource = perSource;
        this.total = total;
    }

    /** Counts a new handshake from {@code source}; returns the limit it would pass instead, or null. */
    synchronized Limit tryOpen(InetAddress source) {
        if (pending >= total) {
            return Limit.PENDING_HANDSHAKES;
        }
        int fromSource = bySource.getOrDefault(source, 0);
        if (fromSource >= perSource) {
            return Limit.PENDING_HANDSHAKES_PER_SOURCE;
        }
        bySource.put(source, fromSource + 1);
        pending++;
        return null;
    }

    /** A handshake counted by {@link #tryOpen} ended (opening frame, close or deadline). Call once. */
    synchronized void close(InetAddress source) {
        pending--;
        bySource.computeIfPresent(source, (s, n) -> n == 1 ? null : n - 1);
    }

    synchronized int pending() {
        return pending;
    }
}
