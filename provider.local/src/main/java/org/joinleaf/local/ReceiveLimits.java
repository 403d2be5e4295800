package org.joinleaf.local;

import org.joinleaf.spi.config.BadConfigurationException;

/**
 * The effective byte limits of the receive queues, derived from the configuration and this JVM's heap (queued
 * messages are heap arrays). {@link LocalConfig} writes the sentinel 0 ("derive"); this class is the one place that
 * turns it into a number:
 * <ul>
 * <li>{@code totalReceiveQueueBytes} 0 → {@value #DERIVED_HEAP_DIVISOR}th of the heap ({@code Runtime.maxMemory()};
 * 4 MiB with {@code -Xmx32m}); an explicit value above {@value #CEILING_HEAP_DIVISOR}th of the heap cannot fit beside
 * everything else the JVM holds and fails activation;</li>
 * <li>{@code receiveQueueBytes} 0 → a quarter of the total, at least one largest message, at most the total; an
 * explicit value above the total fails activation.</li>
 * </ul>
 * A message fanned out to n receivers is charged n times, although they share one array: the bound errs on the
 * safe side.
 *
 * @param perSocketBytes bytes one socket may hold
 * @param totalBytes     bytes all sockets of the provider may hold together
 */
record ReceiveLimits(long perSocketBytes, long totalBytes) {
    /** What one queued message costs beyond its payload: the record, the array header, the sender's address. */
    static final int MESSAGE_OVERHEAD_BYTES = 96;
    static final int DERIVED_HEAP_DIVISOR = 8;
    static final int CEILING_HEAP_DIVISOR = 4;

    /**
     * The limits for the settings {@code receiveQueueBytes} and {@code totalReceiveQueueBytes} (0 = derive), messages
     * of at most {@code maxMessageSize}, in a JVM whose heap may grow to {@code maxHeapBytes}.
     *
     * @throws BadConfigurationException naming the setting that cannot fit (the ranges are checked before)
     */
    static ReceiveLimits derive(long perSocket, long total, int maxMessageSize, long maxHeapBytes) {
        long largest = cost(maxMessageSize);
        long ceiling = maxHeapBytes / CEILING_HEAP_DIVISOR;
        require(total <= ceiling, "totalReceiveQueueBytes", total, "does not fit this JVM: at most " + ceiling
                + " bytes, a quarter of the " + maxHeapBytes + "-byte heap (-Xmx); lower it or set 0");
        if (total == 0) {
            total = Math.max(largest, maxHeapBytes / DERIVED_HEAP_DIVISOR);
        }
        require(perSocket <= total, "receiveQueueBytes", perSocket, "must not exceed the " + total
                + " bytes all sockets may hold together (totalReceiveQueueBytes)");
        if (perSocket == 0) {
            perSocket = Math.min(total, Math.max(largest, total / 4));
        }
        return new ReceiveLimits(perSocket, total);
    }

    /** What queuing a message of {@code payloadBytes} is charged. */
    static long cost(int payloadBytes) {
        return (long) payloadBytes + MESSAGE_OVERHEAD_BYTES;
    }

    private static void require(boolean ok, String key, long value, String rule) {
        if (!ok) {
            throw new BadConfigurationException(LocalConfig.PID, key, String.valueOf(value), rule);
        }
    }
}
