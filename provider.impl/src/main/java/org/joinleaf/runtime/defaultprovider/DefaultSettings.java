package org.joinleaf.runtime.defaultprovider;

import org.joinleaf.spi.config.ConfigCheck;

/**
 * The buffer limits of one activation, read once from {@link DefaultProviderConfig}. The total of the receive
 * buffers is the one value derived from the JVM: {@code totalReceiveBytes} 0 (the Metatype default) means
 * 1/{@value #DERIVED_HEAP_DIVISOR} of the heap ({@code Runtime.maxMemory()}; 4 MiB with {@code -Xmx32m}). Buffers are
 * heap arrays, so the heap is the limit that matters. An explicit total above 1/{@value #CEILING_HEAP_DIVISOR} of the
 * heap cannot fit beside everything else, and a per-socket buffer above the total can never be given: both fail
 * activation naming the setting. Since every connection takes a whole receive buffer from the total, the total also
 * caps the connections, and with them the send buffers: the worst case of both is
 * {@code totalReceiveBytes × (1 + sendBufferBytes / receiveBufferBytes)}, 8 MiB with the defaults and {@code -Xmx32m}.
 */
record DefaultSettings(int receiveBufferBytes, int sendBufferBytes, int maxBacklog, long totalReceiveBytes) {
    static final int DERIVED_HEAP_DIVISOR = 8;
    static final int CEILING_HEAP_DIVISOR = 4;

    static DefaultSettings of(DefaultProviderConfig config) {
        return of(config, Runtime.getRuntime().maxMemory());
    }

    /**
     * {@link #of(DefaultProviderConfig)} as if the heap could grow to {@code maxHeapBytes}.
     *
     * @throws org.joinleaf.spi.config.BadConfigurationException naming PID, key, value and range or rule
     */
    static DefaultSettings of(DefaultProviderConfig config, long maxHeapBytes) {
        ConfigCheck check = ConfigCheck.of(DefaultProvider.PID, config);
        long total = config.totalReceiveBytes();
        long ceiling = maxHeapBytes / CEILING_HEAP_DIVISOR;
        check.require(total <= ceiling, "totalReceiveBytes", "does not fit this JVM: at most " + ceiling
                + " bytes, a quarter of the " + maxHeapBytes + "-byte heap (-Xmx); lower it or set 0");
        if (total == 0) {
            total = Math.max(config.receiveBufferBytes(), maxHeapBytes / DERIVED_HEAP_DIVISOR);
        }
        check.require(config.receiveBufferBytes() <= total, "receiveBufferBytes", "must not exceed the " + total
                + " bytes all sockets may hold together (totalReceiveBytes)");
        return new DefaultSettings(config.receiveBufferBytes(), config.sendBufferBytes(), config.maxBacklog(), total);
    }

    /** listen()'s backlog clamped to [1, maxBacklog]; SOMAXCONN and other large values give the maximum. */
    int backlog(int requested) {
        return Math.max(1, Math.min(requested, maxBacklog));
    }
}
