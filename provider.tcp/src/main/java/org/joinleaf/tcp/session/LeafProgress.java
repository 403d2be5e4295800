package org.joinleaf.tcp.session;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * When a leaf last made progress (its kernel took a write) and when it was last at its high water mark, as ticks of
 * its root's clock: what relative eviction judges (decision 38). A leaf at its bound fell behind the others only if,
 * since its own last progress, another leaf made progress and its kernel never left a high water mark of its data
 * unsent after a flush: that one kept up with the sender while this one took nothing. Flows sharing one link all
 * fill their kernel buffers and take data in turns, so each is left at its mark between its turns and none counts as
 * having kept up: the sender is held back instead.
 *
 * <p>Ticks order events. One duration is measured besides: a leaf behind the others is evicted only once it has
 * taken nothing, with data waiting, for {@code slowLeafGraceMillis} (TCP flows starting together on one link are not
 * served alike: one may take nothing for a while as another takes all).
 */
final class LeafProgress {
    private final AtomicLong clock;
    private final LongSupplier nanos;
    private final long graceNanos;
    private volatile long progressedAt;
    private volatile long fullAt;
    /** Since when (nanos) the leaf has had data waiting and taken none of it. */
    private volatile long takingNothingSince;

    /** A leaf joining now: it has no history before this tick, so it has not kept up with anyone yet. */
    LeafProgress(AtomicLong clock, LongSupplier nanos, long graceNanos) {
        this.clock = clock;
        this.nanos = nanos;
        this.graceNanos = graceNanos;
        long now = clock.incrementAndGet();
        progressedAt = now;
        fullAt = now;
        takingNothingSince = nanos.getAsLong();
    }

    /** The leaf's kernel took a write (any thread). */
    void progressed() {
        progressedAt = clock.incrementAndGet();
        takingNothingSince = nanos.getAsLong();
    }

    /** Data now waits for a leaf that had none (any thread): a wait before counts as no starvation. */
    void waiting() {
        takingNothingSince = nanos.getAsLong();
    }

    /** Nanoseconds until this leaf has taken nothing for the grace (0: it has). */
    long graceLeft() {
        return Math.max(0, takingNothingSince + graceNanos - nanos.getAsLong());
    }

    long graceNanos() {
        return graceNanos;
    }

    /** After a flush the kernel left at least a high water mark of the leaf's data with Netty (its event loop). */
    void atMark() {
        fullAt = clock.incrementAndGet();
    }

    /**
     * True when this leaf (below its mark now: the caller checks) kept up while {@code laggard} took nothing: it made
     * progress after the laggard's last progress and was never at its mark since.
     */
    boolean keptUpWhileStalled(LeafProgress laggard) {
        long since = laggard.progressedAt;
        return progressedAt > since && fullAt <= since;
    }
}
