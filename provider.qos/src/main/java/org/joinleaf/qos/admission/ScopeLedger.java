package org.joinleaf.qos.admission;

import java.util.concurrent.atomic.AtomicLong;

/** The bytes per second reserved in one scope. Lock-free: an admission is one compare-and-set. */
final class ScopeLedger {
    private final AtomicLong reserved = new AtomicLong();

    /**
     * Replaces a reservation of {@code held} by one of {@code wanted}, atomically: a growth must fit
     * {@code capacity}; a shrink always succeeds (even when a reconfiguration left the scope over capacity).
     *
     * @return false, with nothing changed, when the growth does not fit
     */
    boolean tryAdjust(long held, long wanted, long capacity) {
        long delta = wanted - held;
        while (true) {
            long current = reserved.get();
            if (delta > 0 && current + delta > capacity) {
                return false;
            }
            if (reserved.compareAndSet(current, current + delta)) {
                return true;
            }
        }
    }

    void release(long held) {
        reserved.addAndGet(-held);
    }

    long reserved() {
        return reserved.get();
    }
}
