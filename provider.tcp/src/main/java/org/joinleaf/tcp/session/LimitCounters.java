package org.joinleaf.tcp.session;

import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What the provider's resource limits refused or cut since it started, for operators, tests and benchmarks. Each
 * refusal is also logged, but as a summary: the first one at once, then at most one WARNING line per kind and
 * second saying how many followed, so a flood cannot turn the log (written on an event loop) into its own denial of
 * service. Every other line a peer can trigger ({@link PeerEvent}) goes through the same summary.
 */
public final class LimitCounters {
    /** The limits that refuse or cut a connection, and where each is configured. */
    public enum Limit {
        /** {@code maxJoinRatePerSource}: an over-rate JOIN/INVITE, answered REJECT. */
        JOIN_RATE,
        /** {@code maxPendingHandshakesPerSource}: a new connection refused at once. */
        PENDING_HANDSHAKES_PER_SOURCE,
        /**
         * {@code maxPendingHandshakes}: all places taken, so the oldest pending handshake of the busiest /24 (IPv4)
         * or /64 (IPv6) prefix was dropped (reset) to admit the new connection.
         */
        PENDING_HANDSHAKES,
        /** The listening socket's request queue ({@code listen} backlog, capped by {@code backlog}) was full. */
        REQUEST_QUEUE,
        /** {@code maxLeavesPerRoot}: a JOIN refused, or the root's invitation failed with WSAENOBUFS. */
        LEAVES_PER_ROOT,
        /**
         * {@code maxLeavesPerRoot} reached: a member of the network holding the most places gave its place to a
         * caller from a network holding fewer (decision 35), and was told so with LEAVE(WSAECONNABORTED).
         */
        MEMBER_PLACE,
        /** {@code maxQueuedBytes}: a send failed with WSAENOBUFS. */
        QUEUED_BYTES,
        /** {@code openingFrameTimeoutMillis}: a connection closed without its opening frame. */
        HANDSHAKE_DEADLINE,
        /** {@code joinTimeoutMillis}: a queued JOIN/INVITE the application never answered, REJECT(WSAETIMEDOUT). */
        REQUEST_DEADLINE,
        /** The slow-leaf policy evicted a leaf. */
        SLOW_LEAF
    }

    /**
     * What a peer can make the provider log that is not a limit: each kind is counted and summarised like the
     * refusals (at most one line per kind and second), so no flood of bad peers can flood the log.
     */
    public enum PeerEvent {
        /** A malformed, unknown, oversize or out-of-order frame, a LEAVE code outside the set, DATA against the
         * member's direction: the connection is closed with WSAECONNABORTED. */
        PROTOCOL_VIOLATION,
        /** A TLS failure (no or an untrusted certificate, a plain peer, an alert, an oversize record). */
        TLS_FAILURE,
        /** {@code heartbeatTimeoutMillis} passed without a frame from the peer. */
        HEARTBEAT_TIMEOUT,
        /** A throwable in a handler or a task of the provider (even OutOfMemoryError): the connection is aborted. */
        HANDLER_FAILURE,
        /** An application upcall threw: swallowed, the connection goes on. */
        UPCALL_FAILURE,
        /** The listening socket's accept failed (EMFILE/ENFILE...): accepting pauses, then resumes. */
        ACCEPT_FAILURE,
        /** A join or invitation this side started was refused or cut before its answer (INFO). */
        JOIN_REFUSED
    }

    private static final System.Logger LOG = System.getLogger("org.joinleaf.tcp");
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Map<Limit, Summary> limits = new EnumMap<>(Limit.class);
    private final Map<PeerEvent, Summary> events = new EnumMap<>(PeerEvent.class);
    private final AtomicLong largestEvictedBacklog = new AtomicLong();
    private final AtomicLong largestLeafBacklog = new AtomicLong();
    private final AtomicLong largestEvictionDelay = new AtomicLong();
    private final AtomicLong largestDeadlineLateness = new AtomicLong();
    private final LongAdder deadlineLatenessSum = new LongAdder();
    private final LongAdder closedWindowEvictions = new LongAdder();
    private final LongAdder inFlightHolds = new LongAdder();

    /** One kind's count and log summary: the first occurrence logged at once, then one line a second at most. */
    private static final class Summary {
        private final String kind;
        private final Level level;
        private final LongAdder count = new LongAdder();
        private final AtomicLong nextLogAt = new AtomicLong(System.nanoTime());
        private final AtomicLong unlogged = new AtomicLong();

        Summary(String kind, Level level) {
            this.kind = kind;
            this.level = level;
        }

        void record(Supplier<String> detail) {
            count.increment();
            long now = System.nanoTime();
            long due = nextLogAt.get();
            if (now - due >= 0 && nextLogAt.compareAndSet(due, now + LOG_INTERVAL_NANOS)) {
                long more = unlogged.getAndSet(0);
                LOG.log(level, "{0}: {1}{2}", kind, detail.get(), more == 0 ? ""
                        : " (" + more + " more since the last line; at most one line per second)");
            } else {
                unlogged.incrementAndGet();
            }
        }
    }

    LimitCounters() {
        for (Limit l : Limit.values()) {
            limits.put(l, new Summary(l.name(), Level.WARNING));
        }
        for (PeerEvent e : PeerEvent.values()) {
            events.put(e, new Summary(e.name(), e == PeerEvent.JOIN_REFUSED ? Level.INFO : Level.WARNING));
        }
    }

    /** How many times {@code limit} refused or cut something. */
    public long count(Limit limit) {
        return limits.get(limit).count.sum();
    }

    /** Every limit's count by its name, for operators (issue 15 item 4). */
    public Map<String, Long> limitCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        limits.forEach((l, summary) -> out.put(l.name(), summary.count.sum()));
        return out;
    }

    /** Every peer event's count by its name. */
    public Map<String, Long> peerEventCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        events.forEach((e, summary) -> out.put(e.name(), summary.count.sum()));
        return out;
    }

    /** How many times {@code event} happened. */
    public long count(PeerEvent event) {
        return events.get(event).count.sum();
    }

    /** Counts {@code event} and logs it as part of a summary; {@code detail} names the peer and what happened. */
    void peerEvent(PeerEvent event, Supplier<String> detail) {
        events.get(event).record(detail);
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
        limits.get(limit).record(detail);
    }

    /** A handshake deadline closed a connection {@code latenessNanos} after it was due. */
    void deadlineClosed(Supplier<String> detail, long latenessNanos) {
        largestDeadlineLateness.accumulateAndGet(latenessNanos, Math::max);
        deadlineLatenessSum.add(latenessNanos);
        refused(Limit.HANDSHAKE_DEADLINE, detail);
    }

    /** Evictions for backlog of a leaf whose receive window the kernel reported closed (decision 45, epoll). */
    public long closedWindowEvictions() {
        return closedWindowEvictions.sum();
    }

    /** Times a leaf decision 38 would have evicted was kept, its data in flight: the sender was held back. */
    public long inFlightHolds() {
        return inFlightHolds.sum();
    }

    void closedWindowEviction() {
        closedWindowEvictions.increment();
    }

    void heldInFlight() {
        inFlightHolds.increment();
    }

    /** An eviction, with the evicted leaf's backlog at that moment and how long after its bound it came. */
    void evicted(String detail, long backlog, long delayNanos) {
        largestEvictedBacklog.accumulateAndGet(backlog, Math::max);
        largestEvictionDelay.accumulateAndGet(delayNanos, Math::max);
        refused(Limit.SLOW_LEAF, detail);
    }
}
