package org.joinleaf.local;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.joinleaf.api.Winsock2;

/**
 * A socket's receive queue, bounded in bytes ({@link ReceiveLimits#cost} per message, so empty messages count too)
 * and in messages, plus the senders refused because it was full: each gets {@code FD_WRITE} once room returns. The
 * provider-wide total is charged by the callers ({@link ReceiveBudget}). Innermost lock: no method calls out.
 */
final class MessageQueue {
    private final int capacity;
    private long maxBytes;
    private final ArrayDeque<Message> messages;
    private final Set<LocalSocket> blockedSenders = new LinkedHashSet<>();
    private long bytes;

    MessageQueue(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.messages = new ArrayDeque<>(Math.min(capacity, 16));
    }

    /** Sets the byte bound ({@code SO_RCVBUF}); what is queued stays, later arrivals see the new bound. */
    synchronized void limitBytes(long bytes) {
        maxBytes = bytes;
    }

    /** The byte bound in effect ({@code getsockopt(SO_RCVBUF)}). */
    synchronized long limit() {
        return maxBytes;
    }

    /** Appends {@code m} unless the queue is full. */
    synchronized boolean offer(Message m) {
        if (!hasRoom(m)) {
            return false;
        }
        messages.add(m);
        bytes += ReceiveLimits.cost(m.data().length);
        return true;
    }

    private boolean hasRoom(Message m) {
        return messages.size() < capacity && bytes + ReceiveLimits.cost(m.data().length) <= maxBytes;
    }

    /**
     * Appends {@code m}, or, when full, remembers {@code sender} for {@code FD_WRITE} in the same step (so a receive
     * in between cannot lose the wake-up).
     */
    synchronized boolean offerOrBlock(Message m, LocalSocket sender) {
        if (offer(m)) {
            return true;
        }
        blockedSenders.add(sender);
        return false;
    }

    /** True when {@code m} fits; otherwise remembers {@code sender} for {@code FD_WRITE}. */
    synchronized boolean roomOrBlock(Message m, LocalSocket sender) {
        if (hasRoom(m)) {
            return true;
        }
        blockedSenders.add(sender);
        return false;
    }

    synchronized Message peek() {
        return messages.peek();
    }

    /** Removes the head; room has returned, so refused senders are told through {@code out}. */
    synchronized Message poll(Outbox out) {
        Message m = messages.poll();
        if (m != null) {
            bytes -= ReceiveLimits.cost(m.data().length);
            wakeBlockedSenders(out);
        }
        return m;
    }

    synchronized int size() {
        return messages.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    /** Empties the queue (its socket closed) and returns the bytes it held. */
    synchronized long drain() {
        long held = bytes;
        messages.clear();
        bytes = 0;
        return held;
    }

    /** Posts {@code FD_WRITE} to every refused sender: room returned, or this receiver left the session. */
    synchronized void wakeBlockedSenders(Outbox out) {
        for (LocalSocket s : blockedSenders) {
            out.post(s.upcalls, Winsock2.FD_WRITE_BIT, 0);
        }
        blockedSenders.clear();
    }
}
