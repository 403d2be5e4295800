package org.joinleaf.tcp.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongBinaryOperator;

/**
 * Bytes a peer made the provider hold, against the setting that bounds them: a per-socket receive queue, the
 * provider's receive total, or one leaf's outbound backlog. A budget is over at {@code limit} and has room again at
 * {@code low} (half of it): the hysteresis keeps a paused connection from flapping between reads.
 *
 * <p>Charging never fails: the bytes it counts already exist (a frame read, a message sent). What keeps memory
 * bounded is that whoever feeds an over budget stops (a connection stops being read, a send is refused) as soon as
 * the charge that crossed the limit returns, so the worst case is the limit plus one batch per feeder; each use
 * site documents its batch.
 */
final class MemoryBudget {
    private final String setting;
    private final long limit;
    private final long low;
    private final AtomicLong used = new AtomicLong();
    /** {@link #tryCharge}'s update: adds only what fits. */
    private final LongBinaryOperator fitting;
    /** Run once each, on the thread whose credit drains the budget (never under a lock of this class). */
    private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();

    /** @param setting the configuration property that sets {@code limit} (for messages) */
    MemoryBudget(String setting, long limit) {
        this(setting, limit, limit / 2);
    }

    MemoryBudget(String setting, long limit, long low) {
        this.setting = setting;
        this.limit = limit;
        this.low = low;
        this.fitting = (now, bytes) -> now + bytes > this.limit ? now : now + bytes;
    }

    /** Counts {@code bytes} more; true when this charge took the budget to or over its limit. */
    boolean charge(long bytes) {
        long now = used.addAndGet(bytes);
        return now >= limit && now - bytes < limit;
    }

    /** Counts {@code bytes} more only if that stays within the limit; false, counting nothing, when it would not. */
    boolean tryCharge(long bytes) {
        return used.getAndAccumulate(bytes, fitting) + bytes <= limit;
    }

    /**
     * Uncounts {@code bytes}; true when this credit took it from above its low mark to or below it, and then runs
     * the feeders waiting for that.
     */
    boolean credit(long bytes) {
        long now = used.addAndGet(-bytes);
        boolean drainedNow = now <= low && now + bytes > low;
        if (drainedNow) {
            // Take the waiting retries first, then run them: a retry that finds the budget up again registers for
            // the next drain, and iterating the live set would meet it again and spin here while the budget stays
            // up (the reading thread then never takes its own queues down: a stall).
            List<Runnable> due = new ArrayList<>();
            for (Runnable r : waiting) {
                if (waiting.remove(r)) {
                    due.add(r);
                }
            }
            due.forEach(Runnable::run);
        }
        return drainedNow;
    }

    /**
     * Runs {@code retry} once when the budget is next drained, or at once if it already is (so a credit racing
     * the registration is never missed). {@code retry} must re-check the state it needs; registering the same
     * object twice runs it once.
     */
    void whenDrained(Runnable retry) {
        waiting.add(retry);
        if (drained() && waiting.remove(retry)) {
            retry.run();
        }
    }

    /** At or over the limit: feeders must stop. */
    boolean over() {
        return used.get() >= limit;
    }

    /** At or below the low mark: stopped feeders may go on. */
    boolean drained() {
        return used.get() <= low;
    }

    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }

    String setting() {
        return setting;
    }

    @Override
    public String toString() {
        return setting + " (" + used.get() + " of " + limit + " bytes)";
    }
}
