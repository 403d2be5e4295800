package org.joinleaf.runtime.jmx;

import javax.management.ConstructorParameters;

/** One byte budget of a provider now, an open-type item (CompositeData {@code name, usedBytes, totalBytes}). */
public final class BudgetUse {
    private final String name;
    private final long usedBytes;
    private final long totalBytes;

    @ConstructorParameters({"name", "usedBytes", "totalBytes"})
    public BudgetUse(String name, long usedBytes, long totalBytes) {
        this.name = name;
        this.usedBytes = usedBytes;
        this.totalBytes = totalBytes;
    }

    /** The setting that sizes it ({@code maxQueuedBytes}). */
    public String getName() {
        return name;
    }

    public long getUsedBytes() {
        return usedBytes;
    }

    public long getTotalBytes() {
        return totalBytes;
    }

    /** Free share of the total, 0..1 (1 for an empty or a zero-sized budget). */
    public double headroom() {
        return totalBytes <= 0 ? 1 : Math.max(0, totalBytes - usedBytes) / (double) totalBytes;
    }
}
