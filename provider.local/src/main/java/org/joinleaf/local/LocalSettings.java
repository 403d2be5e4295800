package org.joinleaf.local;

/** The validated configuration one activation of the provider runs with. */
record LocalSettings(int joinTimeoutMillis, int maxConnectData, int maxMessageSize, int receiveQueueMessages,
                     SlowLeafPolicy slowLeafPolicy) {

    /** Defaults of {@link LocalConfig}. */
    static final LocalSettings DEFAULTS = new LocalSettings(5000, 1024, 65507, 1024, SlowLeafPolicy.EVICT);

    LocalSettings {
        // Clamp instead of failing activation: a bad value in Config Admin must not take the provider away.
        joinTimeoutMillis = Math.max(1, joinTimeoutMillis);
        maxConnectData = Math.max(0, maxConnectData);
        maxMessageSize = Math.max(1, maxMessageSize);
        receiveQueueMessages = Math.max(1, receiveQueueMessages);
        slowLeafPolicy = slowLeafPolicy == null ? SlowLeafPolicy.EVICT : slowLeafPolicy;
    }

    static LocalSettings from(LocalConfig c) {
        return new LocalSettings(c.joinTimeoutMillis(), c.maxConnectData(), c.maxMessageSize(),
                c.receiveQueueMessages(), c.slowLeafPolicy());
    }
}
