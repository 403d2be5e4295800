package org.joinleaf.runtime;

import org.joinleaf.runtime.jmx.ProviderCounters;

import java.util.List;
import org.joinleaf.spi.TransportProvider;

/**
 * A bound {@link TransportProvider} service with what orders it in the catalog: {@code service.ranking} (higher
 * first), then {@code service.id} (older registration first). {@link #gone} flips once, when the service leaves,
 * before any process is told, so a socket created concurrently can notice it.
 */
final class ProviderRegistration implements Comparable<ProviderRegistration> {
    final TransportProvider provider;
    final String name;
    final int ranking;
    final long serviceId;
    List<CatalogEntry> entries = List.of();
    volatile boolean gone;
    /** What every socket of this provider did, summed (decisions: counters outlive the sockets). */
    final Counters counters = new Counters();
    /** Its MBean while the catalog exports to JMX, else null. */
    ProviderCounters mbean;

    ProviderRegistration(TransportProvider provider, String name, int ranking, long serviceId) {
        this.provider = provider;
        this.name = name;
        this.ranking = ranking;
        this.serviceId = serviceId;
    }

    @Override
    public int compareTo(ProviderRegistration o) {
        int byRanking = Integer.compare(o.ranking, ranking);
        return byRanking != 0 ? byRanking : Long.compare(serviceId, o.serviceId);
    }

    @Override
    public String toString() {
        return "provider '" + name + "' (ranking " + ranking + ", service.id " + serviceId + ")";
    }
}
