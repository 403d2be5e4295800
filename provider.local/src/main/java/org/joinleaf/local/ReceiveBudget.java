package org.joinleaf.local;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.api.Winsock2;

/**
 * The bytes all receive queues of one provider hold together, never above {@code totalReceiveQueueBytes}. A reliable
 * sender refused because the total was spent is remembered and gets {@code FD_WRITE} when any queue gives bytes
 * back, as a full queue of its own receiver would do.
 */
final class ReceiveBudget {
    private final long totalBytes;
    private final AtomicLong used = new AtomicLong();
    private final Set<LocalSocket> waiting = new LinkedHashSet<>(); // guarded by itself

    ReceiveBudget(long totalBytes) {
        this.totalBytes = totalBytes;
    }

    /** Takes {@code bytes}; false, taking nothing, when they do not fit (then {@code sender}, if any, waits). */
    boolean tryCharge(long bytes, LocalSocket sender) {
        while (true) {
            long now = used.get();
            if (now + bytes <= totalBytes) {
                if (used.compareAndSet(now, now + bytes)) {
                    return true;
                }
                continue;
            }
            synchronized (waiting) { // release gives back before it looks here: re-read so no wake-up is lost
                if (used.get() + bytes > totalBytes) {
                    if (sender != null) {
                        waiting.add(sender);
                    }
                    return false;
                }
            }
        }
    }

    /** Gives {@code bytes} back; waiting senders get {@code FD_WRITE} through {@code out}. */
    void release(long bytes, Outbox out) {
        if (bytes == 0) {
            return;
        }
        used.addAndGet(-bytes);
        List<LocalSocket> wake;
        synchronized (waiting) {
            if (waiting.isEmpty()) {
                return;
            }
            wake = List.copyOf(waiting);
            waiting.clear();
        }
        for (LocalSocket s : wake) {
            out.post(s.upcalls, Winsock2.FD_WRITE_BIT, 0);
        }
    }

    long usedBytes() {
        return used.get();
    }
}
