package org.joinleaf.runtime;

/**
 * One process's "something changed on some socket" signal, for {@code select}: it waits on many descriptors, while
 * each {@link SocketRecord} wakes only the threads blocked on itself. Every record of the process beats it on each
 * report, completion and close. Cheap when nobody selects: a counter increment and a volatile read.
 */
final class ChangePulse {
    private long beats;
    private volatile int waiters;

    void beat() {
        if (waiters > 0) {
            synchronized (this) {
                beats++;
                notifyAll();
            }
        }
    }

    /** The current beat, taken before checking readiness so that a change in between is not missed. */
    synchronized long enter() {
        waiters++;
        return beats;
    }

    synchronized void leave() {
        waiters--;
    }

    /** Waits until a beat after {@code seen} or until {@code deadlineNanos} ({@code Long.MAX_VALUE}: forever). */
    synchronized void await(long seen, long deadlineNanos) throws InterruptedException {
        while (beats == seen) {
            if (deadlineNanos == Long.MAX_VALUE) {
                wait();
            } else {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wait(Math.max(1, left / 1_000_000L));
            }
        }
    }
}
