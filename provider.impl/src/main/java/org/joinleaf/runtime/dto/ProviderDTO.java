package org.joinleaf.runtime.dto;

import java.util.List;

/** One registered transport provider, as the catalog orders it (best first). */
public final class ProviderDTO {
    /** {@code joinleaf.provider.name}. */
    public String name;
    public int ranking;
    public long serviceId;
    /** Summed over every socket the provider ever had. */
    public CountersDTO counters;
    public List<CatalogEntryDTO> entries;
}
