package org.joinleaf.local;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.joinleaf.api.Winsock2;

/**
 * A socket's bounded receive queue, plus the senders refused because it was full: each gets {@code FD_WRITE} once
 * room returns. Innermost lock: no method calls out.
 */
final class MessageQueue {
    private final int capacity;
    private final ArrayDeque<Message> messages;
    private final Set<LocalSocket> blockedSenders = new LinkedHashSet<>();

    MessageQueue(int capacity) {
        this.capacity = capacity;
        this.messages = new ArrayDeque<>(Math.min(capacity, 16));
    }

    /** Appends {@code m} unless the queue is full. */
    synchronized boolean offer(Message m) {
        if (messages.size() >= capacity) {
            return false;
        }
        messages.add(m);
        return true;
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

    /** True when there is room; otherwise remembers {@code sender} for {@code FD_WRITE}. */
    synchronized boolean roomOrBlock(LocalSocket sender) {
        if (messages.size() < capacity) {
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
            wakeBlockedSenders(out);
        }
        return m;
    }

    synchronized int size() {
        return messages.size();
    }

    /** Posts {@code FD_WRITE} to every refused sender: room returned, or this receiver left the session. */
    synchronized void wakeBlockedSenders(Outbox out) {
        for (LocalSocket s : blockedSenders) {
            out.post(s.upcalls, Winsock2.FD_WRITE_BIT, 0);
        }
        blockedSenders.clear();
    }
}
