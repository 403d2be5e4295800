package org.joinleaf.runtime.defaultprovider;

/** The per-socket buffer limits of one activation, read once from {@link DefaultProviderConfig}. */
record Limits(int receiveBufferBytes, int sendBufferBytes, int maxBacklog) {

    static Limits of(DefaultProviderConfig config) {
        return new Limits(Math.max(1024, config.receiveBufferBytes()), Math.max(1024, config.sendBufferBytes()),
                Math.max(1, config.maxBacklog()));
    }

    /** listen()'s backlog clamped to [1, maxBacklog]; SOMAXCONN and other large values give the maximum. */
    int backlog(int requested) {
        return Math.max(1, Math.min(requested, maxBacklog));
    }
}
