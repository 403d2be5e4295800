package org.joinleaf.tcp.session;

import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What the provider's resource limits refused or cut since it started, for operators, tests and benchmarks. Each
 * refusal is also logged, but as a summary: the first one at once, then at most one WARNING line per kind and
 * second saying how many followed, so a flood cannot turn the log (written on an event loop) into its own denial of
 * service.
 */
public final class LimitCounters {
    /** The limits that refuse or cut a connection, and where each is configured. */
    public enum Limit {
        /** {@code maxJoinRatePerSource}: an over-rate JOIN/INVITE, answered REJECT. */
        JOIN_RATE,
        /** {@code maxPendingHandshakesPerSource}: a new connection refused at once. */
        PENDING_HANDSHAKES_PER_SOURCE,
        /** {@code maxPendingHandshakes}: a new connection refused at once. */
        PENDING_HANDSHAKES,
        /** The listening socket's request queue ({@code listen} backlog, capped by {@code backlog}) was full. */
        REQUEST_QUEUE,
        /** {@code maxLeavesPerRoot}: a JOIN refused, or the root's invitation failed with WSAENOBUFS. */
        LEAVES_PER_ROOT,
        /** {@code maxQueuedBytes}: a send failed with WSAENOBUFS. */
        QUEUED_BYTES,
        /** {@code joinTimeoutMillis}: a connection closed without its opening frame. */
        HANDSHAKE_DEADLINE,
        /** The slow-leaf policy evicted a leaf. */
        SLOW_LEAF
    }

    private static final System.Logger LOG = System.getLogger("org.joinleaf.tcp");
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Map<Limit, LongAdder> counts = new EnumMap<>(Limit.class);
    private final Map<Limit, AtomicLong> nextLogAt = new EnumMap<>(Limit.class);
    private final Map<Limit, AtomicLong> unlogged = new EnumMap<>(Limit.class);
    private final AtomicLong largestEvictedBacklog = new AtomicLong();
    private final AtomicLong largestLeafBacklog = new AtomicLong();
    private final AtomicLong largestEvictionDelay = new AtomicLong();
    private final AtomicLong largestDeadlineLateness = new AtomicLong();
    private final LongAdder deadlineLatenessSum = new LongAdder();

    LimitCounters() {
        long now = System.nanoTime();
        for (Limit l : Limit.values()) {
            counts.put(l, new LongAdder());
            nextLogAt.put(l, new AtomicLong(now));
            unlogged.put(l, new AtomicLong());
        }
    }

    /** How many times {@code limit} refused or cut something. */
    public long count(Limit limit) {
        return counts.get(limit).sum();
    }

    /**
     * The largest outbound backlog (DATA bytes counted from the send, frames waiting on an event loop included) a
     * leaf had when it was evicted: the slow-leaf policy promises at most twice the high water mark plus one message.
     */
    public long largestEvictedBacklog() {
        return largestEvictedBacklog.get();
    }

    /**
     * The largest backlog any leaf had, in DATA bytes counted from the send (frames waiting on an event loop
     * included): what the slow-leaf rules bound.
     */
    public long largestLeafBacklog() {
        return largestLeafBacklog.get();
    }

    /** A leaf's backlog is now {@code bytes}. */
    void leafBacklog(long bytes) {
        if (bytes > largestLeafBacklog.get()) {
            largestLeafBacklog.accumulateAndGet(bytes, Math::max);
        }
    }

    /**
     * The longest time in nanoseconds from a leaf passing its slow-leaf bound (unwritable for
     * {@code slowLeafTimeoutMillis}, or backlog over twice the high water mark) to its eviction and {@code FD_CLOSE}
     * post: how late the event loop was (reliability.md scorecard 2 wants at most 100 ms).
     */
    public long largestEvictionDelayNanos() {
        return largestEvictionDelay.get();
    }

    /**
     * How late, in nanoseconds, the latest-running handshake deadline closed its connection after it was due (the
     * event loop's own lag; the rest of what a peer measures is accept-queue wait and the close reaching it).
     */
    public long largestDeadlineLatenessNanos() {
        return largestDeadlineLateness.get();
    }

    /** The mean of the same over every handshake deadline so far, in nanoseconds (0 when none). */
    public long meanDeadlineLatenessNanos() {
        long n = count(Limit.HANDSHAKE_DEADLINE);
        return n == 0 ? 0 : deadlineLatenessSum.sum() / n;
    }

    /** Counts one refusal and logs it as part of a summary; {@code detail} names the peer and the limit. */
    void refused(Limit limit, String detail) {
        refused(limit, () -> detail);
    }

    /**
     * The same with the detail built only when this refusal is logged (at most once a second): a flood of refusals
     * or deadline closes, on an event loop and perhaps still interpreted, does not format hundreds of unread lines.
     */
    void refused(Limit limit, Supplier<String> detail) {
        counts.get(limit).increment();
        long now = System.nanoTime();
        AtomicLong next = nextLogAt.get(limit);
        long due = next.get();
        if (now - due >= 0 && next.compareAndSet(due, now + LOG_INTERVAL_NANOS)) {
            long more = unlogged.get(limit).getAndSet(0);
            LOG.log(Level.WARNING, "{0}: {1}{2}", limit, detail.get(),
                    more == 0 ? "" : " (" + more + " more refused since the last line; at most one line per second)");
        } else {
            unlogged.get(limit).incrementAndGet();
        }
    }

    /** A handshake deadline closed a connection {@code latenessNanos} after it was due. */
    void deadlineClosed(Supplier<String> detail, long latenessNanos) {
        largestDeadlineLateness.accumulateAndGet(latenessNanos, Math::max);
        deadlineLatenessSum.add(latenessNanos);
        refused(Limit.HANDSHAKE_DEADLINE, detail);
    }

    /** An eviction, with the evicted leaf's backlog at that moment and how long after its bound it came. */
    void evicted(String detail, long backlog, long delayNanos) {
        largestEvictedBacklog.accumulateAndGet(backlog, Math::max);
        largestEvictionDelay.accumulateAndGet(delayNanos, Math::max);
        refused(Limit.SLOW_LEAF, detail);
    }
}
