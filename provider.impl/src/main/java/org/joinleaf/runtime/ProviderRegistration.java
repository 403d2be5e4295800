package org.joinleaf.runtime;

import java.util.List;
import org.joinleaf.runtime.jmx.ProviderTotals;
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
    /** What was counted for this provider's name, this registration and the earlier ones (its MXBean). */
    final ProviderTotals totals;
    /**
     * What every socket of this provider did, summed (decisions: counters outlive the sockets), shared with every
     * registration of the same name (issue 15 item 4: counters survive a restart).
     */
    final Counters counters;

    ProviderRegistration(TransportProvider provider, String name, int ranking, long serviceId, ProviderTotals totals) {
        this.provider = provider;
        this.name = name;
        this.ranking = ranking;
        this.serviceId = serviceId;
        this.totals = totals;
        this.counters = totals.counters();
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
