package org.joinleaf.local;

/**
 * The validated configuration one activation of the provider runs with.
 *
 * @param receiveLimits per-socket and provider-wide receive queue bounds in bytes ({@link ReceiveLimits})
 */
record LocalSettings(int joinTimeoutMillis, int maxConnectData, int maxMessageSize, int receiveQueueMessages,
                     SlowLeafPolicy slowLeafPolicy, ReceiveLimits receiveLimits) {

    LocalSettings {
        // Clamp instead of failing activation: a bad value in Config Admin must not take the provider away. The byte
        // limits are the exception: one that cannot fit the heap fails activation naming it (ReceiveLimits).
        joinTimeoutMillis = Math.max(1, joinTimeoutMillis);
        maxConnectData = Math.max(0, maxConnectData);
        maxMessageSize = Math.max(1, maxMessageSize);
        receiveQueueMessages = Math.max(1, receiveQueueMessages);
        slowLeafPolicy = slowLeafPolicy == null ? SlowLeafPolicy.EVICT : slowLeafPolicy;
    }

    static LocalSettings from(LocalConfig c) {
        return from(c, Runtime.getRuntime().maxMemory());
    }

    /** {@link #from(LocalConfig)} as if the heap could grow to {@code maxHeapBytes}. */
    static LocalSettings from(LocalConfig c, long maxHeapBytes) {
        int maxMessageSize = Math.max(1, c.maxMessageSize());
        return new LocalSettings(c.joinTimeoutMillis(), c.maxConnectData(), maxMessageSize,
                c.receiveQueueMessages(), c.slowLeafPolicy(), ReceiveLimits.derive(c.receiveQueueBytes(),
                c.totalReceiveQueueBytes(), maxMessageSize, maxHeapBytes));
    }
}
