package org.joinleaf.runtime.dto;

/** One catalog entry (a provider's {@code WSAPROTOCOL_INFO}) with the id the runtime assigned. */
public final class CatalogEntryDTO {
    public int catalogEntryId;
    public String protocol;
    public int addressFamily;
    public int socketType;
    public int protocolNumber;
    /** {@code dwServiceFlags1}: the XP1 bits. */
    public int serviceFlags1;
}
