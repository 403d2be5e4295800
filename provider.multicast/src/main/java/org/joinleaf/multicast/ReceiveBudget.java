package org.joinleaf.multicast;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The provider-wide side of the receive queues: the bytes all sockets hold together, never above
 * {@code totalReceiveQueueBytes}, and the drops counted per {@link DropReason}. Thread-safe without locks.
 */
final class ReceiveBudget {
    private final long totalBytes;
    private final AtomicLong used = new AtomicLong();
    private final Map<DropReason, AtomicLong> drops = new EnumMap<>(DropReason.class);

    ReceiveBudget(long totalBytes) {
        this.totalBytes = totalBytes;
        for (DropReason r : DropReason.values()) {
            drops.put(r, new AtomicLong());
        }
    }

    /** Takes {@code bytes} from the budget; false, taking nothing, when they do not fit. */
    boolean tryCharge(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > totalBytes) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    long usedBytes() {
        return used.get();
    }

    void countDrop(DropReason reason) {
        drops.get(reason).incrementAndGet();
    }

    long dropped(DropReason reason) {
        return drops.get(reason).get();
    }
}
