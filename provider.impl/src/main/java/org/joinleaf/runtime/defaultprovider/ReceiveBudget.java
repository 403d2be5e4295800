package org.joinleaf.runtime.defaultprovider;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.spi.ByteBudget;

/**
 * The bytes all receive buffers of one provider activation hold together, never above
 * {@link DefaultSettings#totalReceiveBytes()}: each TCP connection's inbound buffer (charged whole when the connection is
 * made) and each queued UDP datagram, counted by the SPI's {@link ByteBudget}. Also the provider's count of datagrams dropped, per reason. Lock-free.
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

    private final ByteBudget bytes;
    private final Map<Drop, AtomicLong> drops = new EnumMap<>(Drop.class);

    ReceiveBudget(long totalBytes) {
        this.bytes = new ByteBudget(totalBytes);
        for (Drop d : Drop.values()) {
            drops.put(d, new AtomicLong());
        }
    }

    /** Takes {@code n} bytes; false, taking nothing, when they do not fit. */
    boolean tryCharge(long n) {
        return bytes.tryCharge(n);
    }

    void release(long n) {
        bytes.release(n);
    }

    long usedBytes() {
        return bytes.usedBytes();
    }

    long totalBytes() {
        return bytes.totalBytes();
    }

    void countDrop(Drop reason) {
        drops.get(reason).incrementAndGet();
    }

    long dropped(Drop reason) {
        return drops.get(reason).get();
    }
}
