package org.joinleaf.multicast;

import java.net.NetworkInterface;
import org.joinleaf.spi.config.ConfigCheck;

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
 * @param receiveThreads        the I/O threads ({@link SelectorLoops})
 */
record MulticastSettings(NetworkInterface networkInterface, int defaultScope, int receiveQueueDatagrams,
                ReceiveLimits receiveLimits, int maxDatagramSize, int socketReceiveBuffer,
                NetworkInterface loopbackInterface, int receiveThreads) {

    /** {@link #from(MulticastConfig, long)} for this JVM's heap. */
    static MulticastSettings from(MulticastConfig config) {
        return from(config, Runtime.getRuntime().maxMemory());
    }

    /**
     * Checks the values against their Metatype ranges and the byte limits against each other and the heap, and
     * resolves the interface.
     *
     * @throws org.joinleaf.spi.config.BadConfigurationException naming PID, key, value and rule
     */
    static MulticastSettings from(MulticastConfig config, long maxHeapBytes) {
        ConfigCheck check = ConfigCheck.of(MulticastConfig.PID, config);
        ReceiveLimits limits = ReceiveLimits.derive(config, check, maxHeapBytes);
        return new MulticastSettings(MulticastInterface.resolve(config, check), config.defaultScope(),
                config.receiveQueueDatagrams(), limits, config.maxDatagramSize(), config.socketReceiveBufferBytes(),
                MulticastInterface.loopback(), config.receiveThreads());
    }

    /** True when scope 0 needs the loopback interface: the configured one would let it leave the host. */
    boolean confinesScopeZero() {
        return loopbackInterface != null && !loopbackInterface.equals(networkInterface);
    }
}
