package org.joinleaf.tcp.session;

import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import javax.management.ObjectName;
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

    /** A /24 (IPv4) or /64 (IPv6) network, or a wider one (see {@link #network}). */
    record Prefix(byte[] bytes) {
        static Prefix of(InetAddress a) {
            byte[] raw = a.getAddress();
            return new Prefix(Arrays.copyOf(raw, a instanceof Inet4Address ? 3 : 8));
        }

        /** The /16 (IPv4) or /48 (IPv6) around {@code a}: the wide network of decision 35. */
        static Prefix network(InetAddress a) {
            byte[] raw = a.getAddress();
            return new Prefix(Arrays.copyOf(raw, a instanceof Inet4Address ? 2 : 6));
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
            StringBuilder s = new StringBuilder();
            boolean v4 = bytes.length <= 4;
            for (int i = 0; i < bytes.length; i += v4 ? 1 : 2) {
                s.append(i == 0 ? "" : v4 ? "." : ":").append(v4 ? Integer.toString(bytes[i] & 0xFF)
                        : Integer.toHexString(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF)));
            }
            return s.append(v4 ? ".0".repeat(4 - bytes.length) : "::").append('/').append(bytes.length * 8).toString();
        }
    }

    HandshakeGate(int perSource, int total) {
        this.perSource = perSource;
        this.total = total;
    }

    /**
     * The gate of a process that may hold {@code maxDescriptors} open files: at most a quarter of them pending
     * (issue 11, held connections with nofile=256), so the oldest handshake of the busiest prefix is dropped before
     * the kernel runs out of descriptors and accept() fails for everybody, the legitimate caller included.
     */
    static HandshakeGate within(int perSource, int total, long maxDescriptors) {
        int fitting = (int) Math.max(1, Math.min(total, maxDescriptors / DESCRIPTOR_SHARE));
        return new HandshakeGate(Math.min(perSource, fitting), fitting);
    }

    /** A pending handshake takes one in this many of the process's descriptors at most. */
    static final int DESCRIPTOR_SHARE = 4;

    /**
     * The open-file limit of this process (UnixOperatingSystemMXBean's, read as an attribute so the bundle needs no
     * com.sun.management import); unlimited where the JVM cannot tell.
     */
    static long maxDescriptorsOfThisProcess() {
        try {
            ObjectName os = new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME);
            Object max = ManagementFactory.getPlatformMBeanServer().getAttribute(os, "MaxFileDescriptorCount");
            return max instanceof Long n && n > 0 ? n : Long.MAX_VALUE;
        } catch (Exception | LinkageError e) {
            return Long.MAX_VALUE; // not a Unix JVM
        }
    }

    /** The pending handshakes counted per source at most. */
    int perSource() {
        return perSource;
    }

    /** The pending handshakes counted at most. */
    int total() {
        return total;
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
        Handshake dropped = pending >= total ? dropOldestOfBusiestPrefix() : null;
        bySource.put(h.source(), bySource.getOrDefault(h.source(), 0) + 1);
        byPrefix.computeIfAbsent(h.prefix(), p -> new LinkedHashSet<>()).add(h);
        pending++;
        return dropped == null ? Admission.OPEN : new Admission(null, dropped);
    }

    /**
     * No longer counts the oldest handshake of the busiest prefix and returns it (null when none is pending): the
     * caller closes it (outside this lock). Makes room for a newcomer when every place is taken, and frees a
     * descriptor when accept() fails for want of one.
     */
    synchronized Handshake dropOldestOfBusiestPrefix() {
        if (pending == 0) {
            return null;
        }
        Handshake oldest = oldestOfBusiestPrefix();
        close(oldest);
        return oldest;
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
