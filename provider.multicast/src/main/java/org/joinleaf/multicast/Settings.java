package org.joinleaf.multicast;

import java.net.NetworkInterface;

/**
 * The validated configuration every socket of one activation shares.
 *
 * @param networkInterface      where groups are joined and datagrams leave ({@code IP_MULTICAST_IF})
 * @param defaultScope          initial {@code SIO_MULTICAST_SCOPE} (IP TTL / hop limit)
 * @param receiveQueueDatagrams per-socket receive queue bound
 * @param maxDatagramSize       largest datagram a socket sends ({@code WSAEMSGSIZE} above it)
 */
record Settings(NetworkInterface networkInterface, int defaultScope, int receiveQueueDatagrams,
                int maxDatagramSize) {

    /** Checks the ranges and resolves the interface; a bad value fails activation with a message saying which. */
    static Settings from(MulticastConfig config) {
        require(config.defaultScope() >= 0 && config.defaultScope() <= 255,
                "defaultScope must be 0..255 (an IP TTL), not " + config.defaultScope());
        require(config.receiveQueueDatagrams() >= 1,
                "receiveQueueDatagrams must be at least 1, not " + config.receiveQueueDatagrams());
        require(config.maxDatagramSize() >= 1 && config.maxDatagramSize() <= MulticastCatalog.MAX_MESSAGE_SIZE,
                "maxDatagramSize must be 1.." + MulticastCatalog.MAX_MESSAGE_SIZE + ", not " + config.maxDatagramSize());
        return new Settings(MulticastInterface.resolve(config), config.defaultScope(),
                config.receiveQueueDatagrams(), config.maxDatagramSize());
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem + " (configuration " + MulticastConfig.PID + ")");
        }
    }
}
