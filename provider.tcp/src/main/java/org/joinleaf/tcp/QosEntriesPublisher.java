package org.joinleaf.tcp;

import org.joinleaf.spi.TransportProvider;

/**
 * Puts the provider's QoS-capable catalog entries where the runtime finds them, for as long as a QoS service is
 * bound. The DS component registers them as a second {@link TransportProvider} service; tests and benchmarks add
 * them to a plain {@code ProviderCatalog}.
 */
@FunctionalInterface
public interface QosEntriesPublisher {

    /**
     * Publishes {@code qosEntries} (its {@code protocols()} advertise {@code XP1_QOS_SUPPORTED}) and returns how to
     * withdraw them. Withdrawing must make the runtime close the sockets created on them ({@code WSAENETDOWN}).
     */
    Runnable publish(TransportProvider qosEntries);
}
