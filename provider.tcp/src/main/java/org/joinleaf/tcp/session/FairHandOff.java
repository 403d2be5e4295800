package org.joinleaf.tcp.session;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The hand-off of accepted connections to one session loop, served round-robin per network prefix (/24 for IPv4,
 * /64 for IPv6) rather than first come, first served. Under the partial-frame flood of issue 11 the accepting
 * thread handed the loops up to {@code maxPendingHandshakes} attacker connections at a time, each a channel to
 * build, read and close; queued in arrival order, a legitimate join waited behind all of them, 0.7-1.4 s between
 * accept and its channel (join p99 1.2-3.3 s, the kernel's accept queue never full). Taken in turns, a connection
 * from a quiet prefix waits for one hand-off per busy prefix at most.
 *
 * <p>Each {@link #offer} asks the loop for exactly one turn, so every queued hand-off runs; within a prefix they run
 * in arrival order. What waits is bounded by what the accepting thread hands off (the pending-handshake caps).
 */
final class FairHandOff {
    private final Executor loop;
    /** Per prefix with waiting hand-offs, its hand-offs oldest first. */
    private final Map<HandshakeGate.Prefix, ArrayDeque<Runnable>> waiting = new HashMap<>();
    /** The prefixes with waiting hand-offs, the next to be served first. */
    private final ArrayDeque<HandshakeGate.Prefix> turns = new ArrayDeque<>();

    FairHandOff(Executor loop) {
        this.loop = loop;
    }

    /**
     * Queues {@code task} under {@code prefix} and asks the loop for a turn; false (nothing queued) when the loop is
     * shutting down and will not run it. Any thread.
     */
    boolean offer(HandshakeGate.Prefix prefix, Runnable task) {
        synchronized (this) {
            ArrayDeque<Runnable> queue = waiting.computeIfAbsent(prefix, p -> new ArrayDeque<>());
            if (queue.isEmpty()) {
                turns.add(prefix);
            }
            queue.add(task);
        }
        try {
            loop.execute(this::serveOne);
            return true;
        } catch (RejectedExecutionException e) {
            return !withdraw(prefix, task); // if another turn took it already, it ran
        }
    }

    private synchronized boolean withdraw(HandshakeGate.Prefix prefix, Runnable task) {
        ArrayDeque<Runnable> queue = waiting.get(prefix);
        if (queue == null || !queue.removeLastOccurrence(task)) {
            return false;
        }
        if (queue.isEmpty()) {
            waiting.remove(prefix);
            turns.remove(prefix);
        }
        return true;
    }

    /** On the loop: one turn, the oldest hand-off of the prefix whose turn it is. */
    private void serveOne() {
        Runnable next;
        synchronized (this) {
            HandshakeGate.Prefix prefix = turns.poll();
            if (prefix == null) {
                return; // a withdrawn hand-off's turn
            }
            ArrayDeque<Runnable> queue = waiting.get(prefix);
            next = queue.poll();
            if (queue.isEmpty()) {
                waiting.remove(prefix);
            } else {
                turns.add(prefix);
            }
        }
        next.run();
    }

    /** Hand-offs waiting for their turn (tests, diagnostics). */
    synchronized int waiting() {
        int n = 0;
        for (ArrayDeque<Runnable> q : waiting.values()) {
            n += q.size();
        }
        return n;
    }
}
