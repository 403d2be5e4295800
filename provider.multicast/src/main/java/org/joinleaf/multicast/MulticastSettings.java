package org.joinleaf.multicast;

import java.net.NetworkInterface;

/**
 * The validated configuration every socket of one activation shares.
 *
 * @param networkInterface      where groups are joined and datagrams leave ({@code IP_MULTICAST_IF})
 * @param defaultScope          initial {@code SIO_MULTICAST_SCOPE} (IP TTL / hop limit)
 * @param receiveQueueDatagrams per-socket receive queue bound in datagrams
 * @param receiveLimits         per-socket and provider-wide receive queue bounds in bytes
 * @param maxDatagramSize       largest datagram a socket sends ({@code WSAEMSGSIZE} above it)
 * @param socketReceiveBuffer   {@code SO_RCVBUF} of the receiving channels, 0 = the operating system's default
 * @param loopbackInterface     where scope 0 sends, so that it never leaves the host; null when the host has none
 */
record MulticastSettings(NetworkInterface networkInterface, int defaultScope, int receiveQueueDatagrams,
                ReceiveLimits receiveLimits, int maxDatagramSize, int socketReceiveBuffer,
                NetworkInterface loopbackInterface) {

    /** {@link #from(MulticastConfig, long)} for this JVM's heap. */
    static MulticastSettings from(MulticastConfig config) {
        return from(config, Runtime.getRuntime().maxMemory());
    }

    /** Checks the ranges and resolves the interface; a bad value fails activation with a message saying which. */
    static MulticastSettings from(MulticastConfig config, long maxHeapBytes) {
        require(config.defaultScope() >= 0 && config.defaultScope() <= 255,
                "defaultScope must be 0..255 (an IP TTL), not " + config.defaultScope());
        require(config.receiveQueueDatagrams() >= 1,
                "receiveQueueDatagrams must be at least 1, not " + config.receiveQueueDatagrams());
        require(config.maxDatagramSize() >= 1 && config.maxDatagramSize() <= MulticastCatalog.MAX_MESSAGE_SIZE,
                "maxDatagramSize must be 1.." + MulticastCatalog.MAX_MESSAGE_SIZE + ", not " + config.maxDatagramSize());
        require(config.socketReceiveBufferBytes() >= 0, "socketReceiveBufferBytes must be 0 (the OS default) or "
                + "positive, not " + config.socketReceiveBufferBytes());
        ReceiveLimits limits = ReceiveLimits.derive(config, maxHeapBytes);
        return new MulticastSettings(MulticastInterface.resolve(config), config.defaultScope(),
                config.receiveQueueDatagrams(), limits, config.maxDatagramSize(), config.socketReceiveBufferBytes(),
                MulticastInterface.loopback());
    }

    /** True when scope 0 needs the loopback interface: the configured one would let it leave the host. */
    boolean confinesScopeZero() {
        return loopbackInterface != null && !loopbackInterface.equals(networkInterface);
    }

    static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem + " (configuration " + MulticastConfig.PID + ")");
        }
    }
}
