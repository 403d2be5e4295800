package org.joinleaf.spi;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Failures a peer can cause at will, in a thread that must go on (an I/O loop, a delivery step): each is counted,
 * and at most one line per interval tells how many came since the last line and what the last one was. A line that
 * cannot be written (out of memory) costs nothing but itself: its failures are told in the next one (issue 11: loops
 * never die, and no peer can flood the log). Thread-safe without locks.
 */
public final class FailureLog {
    private final System.Logger log;
    private final String what;
    private final String outcome;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong untold = new AtomicLong();
    private final AtomicLong lastLineNanos = new AtomicLong();

    /**
     * @param what    the line's subject after its count, e.g. {@code "failure(s) in the multicast I/O thread"}
     * @param outcome what became of the thread, e.g. {@code "the thread goes on"}
     */
    public FailureLog(System.Logger log, String what, String outcome, long interval, TimeUnit unit) {
        this(log, what, outcome, interval, unit, System::nanoTime);
    }

    /** With the clock given: for tests. */
    FailureLog(System.Logger log, String what, String outcome, long interval, TimeUnit unit, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.log = log;
        this.what = what;
        this.outcome = outcome;
        this.intervalNanos = unit.toNanos(interval);
    }

    /** Counts {@code t}, and writes a line if none was written for an interval. Never throws. */
    public void failed(Throwable t) {
        failures.incrementAndGet();
        untold.incrementAndGet();
        long now = nanoTime.getAsLong();
        long last = lastLineNanos.get();
        if ((last == 0 || now - last >= intervalNanos) && lastLineNanos.compareAndSet(last, now)) {
            long n = untold.getAndSet(0);
            try {
                log.log(System.Logger.Level.WARNING, n + " " + what + ", the last: " + t + "; " + outcome);
            } catch (Throwable again) {
                untold.addAndGet(n); // out of memory even for the line: told next time
            }
        }
    }

    /** Every failure counted so far. */
    public long count() {
        return failures.get();
    }
}
