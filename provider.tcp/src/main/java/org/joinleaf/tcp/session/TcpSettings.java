package org.joinleaf.tcp.session;

import org.joinleaf.tcp.tls.TlsSettings;

/**
 * The validated limits of one {@link TcpTransport}. Built by the DS component from its Metatype configuration, or
 * directly by tests and benchmarks with {@link #builder()}. Their meaning is documented on
 * {@code TcpProviderConfig}; the resource limits (the five before {@code tls}) are what a root on a gateway relies on under a
 * join flood (reliability.md): each refusal is counted in {@link LimitCounters}.
 *
 * <p>The memory settings {@code receiveQueueBytes}, {@code maxReceivedBytes}, {@code maxLeavesPerRoot} and
 * {@code maxQueuedBytes} may be 0, "derived from this JVM's memory limits": {@link DerivedLimits#resolve} gives
 * them their values when a transport starts.
 */
public record TcpSettings(int eventLoopThreads, int joinTimeoutMillis, int openingFrameTimeoutMillis,
                              int maxConnectData, int maxMessageSize,
                              int writeBufferLowWaterMark, int writeBufferHighWaterMark,
                              SlowLeafPolicy slowLeafPolicy, int slowLeafTimeoutMillis,
                              int heartbeatIntervalMillis, int heartbeatTimeoutMillis, int receiveQueueMessages,
                              long receiveQueueBytes, long maxReceivedBytes, int backlog, String qosScope,
                              int maxJoinRatePerSource, int maxPendingHandshakesPerSource, int maxPendingHandshakes,
                              int maxLeavesPerRoot, long maxQueuedBytes, TlsSettings tls) {

    public TcpSettings {
        positive("eventLoopThreads", eventLoopThreads);
        positive("joinTimeoutMillis", joinTimeoutMillis);
        positive("openingFrameTimeoutMillis", openingFrameTimeoutMillis);
        if (maxConnectData < 0 || maxConnectData > 0xFFFF) {
            throw new IllegalArgumentException("maxConnectData must be 0..65535, was " + maxConnectData);
        }
        positive("maxMessageSize", maxMessageSize);
        positive("writeBufferLowWaterMark", writeBufferLowWaterMark);
        if (writeBufferHighWaterMark < writeBufferLowWaterMark) {
            throw new IllegalArgumentException("writeBufferHighWaterMark (" + writeBufferHighWaterMark
                    + ") must be at least writeBufferLowWaterMark (" + writeBufferLowWaterMark + ")");
        }
        if (slowLeafPolicy == null) {
            throw new IllegalArgumentException("slowLeafPolicy must be EVICT or BLOCK_SENDER");
        }
        positive("slowLeafTimeoutMillis", slowLeafTimeoutMillis);
        // The heartbeat is mandatory (reliability.md): TCP keepalive alone takes hours to see a partition.
        positive("heartbeatIntervalMillis", heartbeatIntervalMillis);
        positive("heartbeatTimeoutMillis", heartbeatTimeoutMillis);
        if (heartbeatIntervalMillis >= heartbeatTimeoutMillis) {
            throw new IllegalArgumentException("heartbeatIntervalMillis (" + heartbeatIntervalMillis
                    + ") must be below heartbeatTimeoutMillis (" + heartbeatTimeoutMillis + ")");
        }
        positive("receiveQueueMessages", receiveQueueMessages);
        derivedOrPositive("receiveQueueBytes", receiveQueueBytes);
        derivedOrPositive("maxReceivedBytes", maxReceivedBytes);
        if (receiveQueueBytes > 0 && maxReceivedBytes > 0 && receiveQueueBytes > maxReceivedBytes) {
            throw new IllegalArgumentException("receiveQueueBytes (" + receiveQueueBytes + ") must not exceed "
                    + "maxReceivedBytes (" + maxReceivedBytes + "), the total over all sockets");
        }
        positive("backlog", backlog);
        if (qosScope == null || qosScope.isBlank()) {
            throw new IllegalArgumentException("qosScope must name the QoS capacity this provider uses, e.g. tcp");
        }
        positive("maxJoinRatePerSource", maxJoinRatePerSource);
        positive("maxPendingHandshakesPerSource", maxPendingHandshakesPerSource);
        positive("maxPendingHandshakes", maxPendingHandshakes);
        if (maxPendingHandshakesPerSource > maxPendingHandshakes) {
            throw new IllegalArgumentException("maxPendingHandshakesPerSource (" + maxPendingHandshakesPerSource
                    + ") must not exceed maxPendingHandshakes (" + maxPendingHandshakes + ")");
        }
        derivedOrPositive("maxLeavesPerRoot", maxLeavesPerRoot);
        derivedOrPositive("maxQueuedBytes", maxQueuedBytes);
        if (maxQueuedBytes != 0 && maxQueuedBytes < 2L * writeBufferHighWaterMark) {
            throw new IllegalArgumentException("maxQueuedBytes (" + maxQueuedBytes + ") must hold at least one "
                    + "slow leaf's backlog, 2 x writeBufferHighWaterMark (" + 2L * writeBufferHighWaterMark + ")");
        }
        if (tls == null) {
            throw new IllegalArgumentException("tls must be given; TlsSettings.OFF for plain TCP");
        }
    }

    /** The deadline of a passive connection's opening frame: {@code openingFrameTimeoutMillis}, at most the join's. */
    public int openingDeadlineMillis() {
        return Math.min(openingFrameTimeoutMillis, joinTimeoutMillis);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }

    private static void derivedOrPositive(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be > 0, or 0 to derive it from the JVM's memory limits;"
                    + " was " + value);
        }
    }

    /** A builder holding the defaults (the same as the Metatype defaults). */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static TcpSettings defaults() {
        return builder().build();
    }

    /** Mutable defaults for tests and benchmarks. */
    public static final class Builder {
        public int eventLoopThreads = 2;
        public int joinTimeoutMillis = 5000;
        public int openingFrameTimeoutMillis = 1000;
        public int maxConnectData = 1024;
        public int maxMessageSize = 65536;
        public int writeBufferLowWaterMark = 32 * 1024;
        public int writeBufferHighWaterMark = 64 * 1024;
        public SlowLeafPolicy slowLeafPolicy = SlowLeafPolicy.EVICT;
        public int slowLeafTimeoutMillis = 2000;
        public int heartbeatIntervalMillis = 5000;
        public int heartbeatTimeoutMillis = 15000;
        public int receiveQueueMessages = 1024;
        /** 0: derived from the JVM's memory limits ({@link DerivedLimits}). */
        public long receiveQueueBytes = 0;
        /** 0: derived. */
        public long maxReceivedBytes = 0;
        public int backlog = 128;
        public String qosScope = "tcp";
        public int maxJoinRatePerSource = 100;
        public int maxPendingHandshakesPerSource = 128;
        public int maxPendingHandshakes = 1024;
        /** 0: derived. */
        public int maxLeavesPerRoot = 0;
        /** 0: derived. */
        public long maxQueuedBytes = 0;
        public TlsSettings tls = TlsSettings.OFF;

        public TcpSettings build() {
            return new TcpSettings(eventLoopThreads, joinTimeoutMillis, openingFrameTimeoutMillis, maxConnectData,
                    maxMessageSize,
                    writeBufferLowWaterMark, writeBufferHighWaterMark, slowLeafPolicy, slowLeafTimeoutMillis,
                    heartbeatIntervalMillis, heartbeatTimeoutMillis, receiveQueueMessages, receiveQueueBytes,
                    maxReceivedBytes, backlog, qosScope,
                    maxJoinRatePerSource, maxPendingHandshakesPerSource, maxPendingHandshakes, maxLeavesPerRoot,
                    maxQueuedBytes, tls);
        }
    }
}
