package org.joinleaf.spi;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider-wide count of bytes held for peers, never above its total: what a provider charges before it keeps a
 * received message or buffer and gives back when the application has taken it. Offered to providers so the same
 * mechanism bounds every provider's receive queues (issue 11: every byte a peer can make us hold has a budget).
 * Lock-free; a failed charge takes nothing.
 */
public final class ByteBudget {
    private final long totalBytes;
    private final AtomicLong used = new AtomicLong();

    /** @param totalBytes the most this budget ever holds, {@code >= 0} */
    public ByteBudget(long totalBytes) {
        if (totalBytes < 0) {
            throw new IllegalArgumentException("a byte budget must be >= 0, was " + totalBytes);
        }
        this.totalBytes = totalBytes;
    }

    /** Takes {@code bytes}; false, taking nothing, when they do not fit. */
    public boolean tryCharge(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > totalBytes) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    /** Gives back {@code bytes} taken by {@link #tryCharge}. */
    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** True when {@code bytes} more would fit now. */
    public boolean fits(long bytes) {
        return used.get() + bytes <= totalBytes;
    }

    public long usedBytes() {
        return used.get();
    }

    public long totalBytes() {
        return totalBytes;
    }
}
