package org.joinleaf.multicast;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.spi.ByteBudget;

/**
 * The provider-wide side of the receive queues: the bytes all sockets hold together, never above
 * {@code totalReceiveQueueBytes} (the SPI's {@link ByteBudget}), and the drops counted per {@link DropReason}.
 * Thread-safe without locks.
 */
final class ReceiveBudget {
    private final ByteBudget bytes;
    private final Map<DropReason, AtomicLong> drops = new EnumMap<>(DropReason.class);

    ReceiveBudget(long totalBytes) {
        this.bytes = new ByteBudget(totalBytes);
        for (DropReason r : DropReason.values()) {
            drops.put(r, new AtomicLong());
        }
    }

    /** Takes {@code n} bytes from the budget; false, taking nothing, when they do not fit. */
    boolean tryCharge(long n) {
        return bytes.tryCharge(n);
    }

    void release(long n) {
        bytes.release(n);
    }

    long usedBytes() {
        return bytes.usedBytes();
    }

    void countDrop(DropReason reason) {
        drops.get(reason).incrementAndGet();
    }

    long dropped(DropReason reason) {
        return drops.get(reason).get();
    }
}
