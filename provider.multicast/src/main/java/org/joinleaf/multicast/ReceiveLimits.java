package org.joinleaf.multicast;

import org.joinleaf.spi.config.ConfigCheck;

/**
 * The effective byte limits of the receive queues, derived from the configuration and this JVM's heap. The queues
 * hold heap copies of datagrams (the one read buffer of the I/O thread is the only direct memory), so the heap is
 * the limit that matters. {@link MulticastConfig} writes the sentinel 0 ("derive"); this class is the one place that
 * turns it into a number:
 * <ul>
 * <li>{@code totalReceiveQueueBytes} 0 → {@value #DERIVED_HEAP_DIVISOR}th of the heap ({@code Runtime.maxMemory()};
 * 2 MiB with {@code -Xmx32m}); an explicit value above {@value #CEILING_HEAP_DIVISOR}th of the heap cannot fit
 * beside everything else the JVM holds and fails activation;</li>
 * <li>{@code receiveQueueBytes} 0 → a quarter of the total, at least one largest datagram, at most the total; an
 * explicit value above the total fails activation.</li>
 * </ul>
 *
 * @param perSocketBytes bytes one socket may hold
 * @param totalBytes     bytes all sockets of the provider may hold together
 */
record ReceiveLimits(long perSocketBytes, long totalBytes) {
    /** What one queued datagram costs beyond its payload: the record, the array header, the sender's address. */
    static final int DATAGRAM_OVERHEAD_BYTES = 128;
    /** The charge of the largest datagram either family can carry. */
    static final int LARGEST_DATAGRAM_COST = SelectorLoop.MAX_UDP_PAYLOAD + DATAGRAM_OVERHEAD_BYTES;
    static final int DERIVED_HEAP_DIVISOR = 16;
    static final int CEILING_HEAP_DIVISOR = 4;

    /**
     * The limits for {@code config} in a JVM whose heap may grow to {@code maxHeapBytes}; {@code check} refuses a
     * total that cannot fit the heap and a per-socket bound above the total.
     */
    static ReceiveLimits derive(MulticastConfig config, ConfigCheck check, long maxHeapBytes) {
        long ceiling = maxHeapBytes / CEILING_HEAP_DIVISOR;
        long total = config.totalReceiveQueueBytes();
        check.require(total <= ceiling, "totalReceiveQueueBytes", "does not fit this JVM: at most " + ceiling
                + " bytes, a quarter of the " + maxHeapBytes + "-byte heap (-Xmx); lower it or set 0");
        if (total == 0) {
            total = Math.max(LARGEST_DATAGRAM_COST, maxHeapBytes / DERIVED_HEAP_DIVISOR);
        }
        long perSocket = config.receiveQueueBytes();
        check.require(perSocket <= total, "receiveQueueBytes", "must not exceed the " + total
                + " bytes all sockets may hold together (totalReceiveQueueBytes)");
        if (perSocket == 0) {
            perSocket = Math.min(total, Math.max(LARGEST_DATAGRAM_COST, total / 4));
        }
        return new ReceiveLimits(perSocket, total);
    }

    /** What queuing a datagram of {@code payloadBytes} is charged. */
    static long cost(int payloadBytes) {
        return (long) payloadBytes + DATAGRAM_OVERHEAD_BYTES;
    }
}
