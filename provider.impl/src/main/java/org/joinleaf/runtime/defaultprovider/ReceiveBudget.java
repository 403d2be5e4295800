package org.joinleaf.runtime.defaultprovider;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all receive buffers of one provider activation hold together, never above
 * {@link Limits#totalReceiveBytes()}: each TCP connection's inbound buffer (charged whole when the connection is
 * made) and each queued UDP datagram. Also the provider's count of datagrams dropped, per reason. Lock-free.
 */
final class ReceiveBudget {
    /** Why a received datagram was dropped (UDP semantics: lost and counted). */
    enum Drop {
        /** The socket's queue held {@code receiveBufferBytes} already. */
        SOCKET_FULL,
        /** All sockets together held {@code totalReceiveBytes} already. */
        PROVIDER_FULL,
        /** Handling it threw (an {@code OutOfMemoryError} included); the I/O thread went on. */
        FAILURE
    }

    private final long totalBytes;
    private final AtomicLong used = new AtomicLong();
    private final Map<Drop, AtomicLong> drops = new EnumMap<>(Drop.class);

    ReceiveBudget(long totalBytes) {
        this.totalBytes = totalBytes;
        for (Drop d : Drop.values()) {
            drops.put(d, new AtomicLong());
        }
    }

    /** Takes {@code bytes}; false, taking nothing, when they do not fit. */
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

    long totalBytes() {
        return totalBytes;
    }

    void countDrop(Drop reason) {
        drops.get(reason).incrementAndGet();
    }

    long dropped(Drop reason) {
        return drops.get(reason).get();
    }
}
