package org.joinleaf.tcp.session;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import org.joinleaf.tcp.session.LimitCounters.Limit;

/**
 * {@code maxPendingHandshakes} and {@code maxPendingHandshakesPerSource}: the accepted connections that have not sent
 * their opening frame yet, counted per source IP, per network prefix (/24 for IPv4, /64 for IPv6) and in all.
 *
 * <p>Fairness under floods (issue 11): over the per-source cap a newcomer is refused, but when all places are taken
 * the oldest handshake of the busiest prefix is dropped to make room, so a few flooding networks cannot shut out a
 * caller from elsewhere; they only recycle their own places (a per-prefix cap is not needed: a prefix holds all
 * places only while nobody else wants one). The tables only hold sources and prefixes with a pending handshake, so
 * they are bounded by the total cap.
 */
final class HandshakeGate {
    /** What {@link #tryOpen} decided. */
    record Admission(Limit refused, Handshake dropped) {
        static final Admission OPEN = new Admission(null, null);
    }

    private final int perSource;
    private final int total;
    private final Map<InetAddress, Integer> bySource = new HashMap<>();
    /** Per prefix, its pending handshakes oldest first. */
    private final Map<Prefix, LinkedHashSet<Handshake>> byPrefix = new HashMap<>();
    private int pending;

    /** A /24 (IPv4) or /64 (IPv6) network. */
    record Prefix(byte[] bytes) {
        static Prefix of(InetAddress a) {
            byte[] raw = a.getAddress();
            return new Prefix(Arrays.copyOf(raw, a instanceof Inet4Address ? 3 : 8));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Prefix p && Arrays.equals(bytes, p.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return bytes.length == 3 ? (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + ".0/24"
                    : Long.toHexString(ByteBuffer.wrap(bytes).getLong()) + "::/64";
        }
    }

    HandshakeGate(int perSource, int total) {
        this.perSource = perSource;
        this.total = total;
    }

    /**
     * Counts {@code h} as pending unless its source is over its cap ({@link Admission#refused()}). When every place
     * is taken the oldest handshake of the busiest prefix is no longer counted and is returned in
     * {@link Admission#dropped()}: the caller closes it (outside this lock).
     */
    synchronized Admission tryOpen(Handshake h) {
        int fromSource = bySource.getOrDefault(h.source(), 0);
        if (fromSource >= perSource) {
            return new Admission(Limit.PENDING_HANDSHAKES_PER_SOURCE, null);
        }
        Handshake dropped = null;
        if (pending >= total) {
            dropped = oldestOfBusiestPrefix();
            close(dropped);
        }
        bySource.put(h.source(), bySource.getOrDefault(h.source(), 0) + 1);
        byPrefix.computeIfAbsent(h.prefix(), p -> new LinkedHashSet<>()).add(h);
        pending++;
        return dropped == null ? Admission.OPEN : new Admission(null, dropped);
    }

    private Handshake oldestOfBusiestPrefix() {
        LinkedHashSet<Handshake> busiest = null;
        for (LinkedHashSet<Handshake> p : byPrefix.values()) {
            if (busiest == null || p.size() > busiest.size()) {
                busiest = p;
            }
        }
        return busiest.iterator().next();
    }

    /** A handshake counted by {@link #tryOpen} ended (opening frame, close, deadline or drop); idempotent. */
    synchronized void close(Handshake h) {
        LinkedHashSet<Handshake> ofPrefix = byPrefix.get(h.prefix());
        if (ofPrefix == null || !ofPrefix.remove(h)) {
            return;
        }
        if (ofPrefix.isEmpty()) {
            byPrefix.remove(h.prefix());
        }
        pending--;
        bySource.computeIfPresent(h.source(), (s, n) -> n == 1 ? null : n - 1);
    }

    synchronized int pending() {
        return pending;
    }

    /** Pending handshakes from {@code source}'s prefix (tests, diagnostics). */
    synchronized int pendingInPrefixOf(InetAddress source) {
        LinkedHashSet<Handshake> p = byPrefix.get(Prefix.of(source));
        return p == null ? 0 : p.size();
    }
}
