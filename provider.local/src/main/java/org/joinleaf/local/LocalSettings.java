package org.joinleaf.local;

import org.joinleaf.spi.config.ConfigCheck;

/**
 * The validated configuration one activation of the provider runs with.
 *
 * @param receiveLimits per-socket and provider-wide receive queue bounds in bytes ({@link ReceiveLimits})
 */
record LocalSettings(int joinTimeoutMillis, int maxConnectData, int maxMessageSize, int receiveQueueMessages,
                     SlowLeafPolicy slowLeafPolicy, ReceiveLimits receiveLimits) {
    private static final System.Logger LOG = System.getLogger(LocalSettings.class.getName());

    static LocalSettings from(LocalConfig c) {
        return from(c, Runtime.getRuntime().maxMemory());
    }

    /**
     * {@link #from(LocalConfig)} as if the heap could grow to {@code maxHeapBytes}.
     *
     * @throws org.joinleaf.spi.config.BadConfigurationException naming PID, key, value and range or rule
     */
    static LocalSettings from(LocalConfig c, long maxHeapBytes) {
        ConfigCheck.of(LocalConfig.PID, c);
        return new LocalSettings(c.joinTimeoutMillis(), c.maxConnectData(), c.maxMessageSize(),
                c.receiveQueueMessages(), policy(c.slowLeafPolicy()), ReceiveLimits.derive(c.receiveQueueBytes(),
                c.totalReceiveQueueBytes(), c.maxMessageSize(), maxHeapBytes));
    }

    /** The old name BACKPRESSURE still works (existing .cfg files), as BLOCK_SENDER, with one line saying so. */
    @SuppressWarnings("deprecation")
    private static SlowLeafPolicy policy(SlowLeafPolicy configured) {
        if (configured == SlowLeafPolicy.BACKPRESSURE) {
            LOG.log(System.Logger.Level.WARNING, "configuration " + LocalConfig.PID + ": slowLeafPolicy=BACKPRESSURE "
                    + "is deprecated, read as BLOCK_SENDER (the name provider.tcp uses); write BLOCK_SENDER");
            return SlowLeafPolicy.BLOCK_SENDER;
        }
        return configured;
    }
}
