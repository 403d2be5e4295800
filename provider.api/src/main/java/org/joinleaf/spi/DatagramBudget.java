package org.joinleaf.spi;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The provider-wide side of datagram receive queues: the bytes all sockets hold together, never above the total
 * ({@link ByteBudget}), and the datagrams dropped, counted per reason of the provider's own. One class, so that every
 * datagram provider bounds and counts its arrivals the same way (issue 11). Thread-safe without locks.
 *
 * @param <R> the provider's drop reasons
 */
public final class DatagramBudget<R extends Enum<R>> {
    private final ByteBudget bytes;
    private final Map<R, AtomicLong> drops;

    /** @param totalBytes the most all queues hold together, {@code >= 0} */
    public DatagramBudget(Class<R> reasons, long totalBytes) {
        this.bytes = new ByteBudget(totalBytes);
        this.drops = new EnumMap<>(reasons);
        for (R r : reasons.getEnumConstants()) {
            drops.put(r, new AtomicLong());
        }
    }

    /** Takes {@code n} bytes; false, taking nothing, when they do not fit. */
    public boolean tryCharge(long n) {
        return bytes.tryCharge(n);
    }

    public void release(long n) {
        bytes.release(n);
    }

    public long usedBytes() {
        return bytes.usedBytes();
    }

    public long totalBytes() {
        return bytes.totalBytes();
    }

    public void countDrop(R reason) {
        drops.get(reason).incrementAndGet();
    }

    public long dropped(R reason) {
        return drops.get(reason).get();
    }
}
