package org.joinleaf.runtime;

import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.runtime.dto.CatalogEntryDTO;
import org.joinleaf.spi.TransportProvider;

/**
 * One row of the live catalog: a provider's {@code WSAPROTOCOL_INFO} with the catalog id the runtime assigned,
 * and the registration it came from.
 */
final class CatalogEntry {
    final WSAPROTOCOL_INFO info;
    final ProviderRegistration registration;

    CatalogEntry(WSAPROTOCOL_INFO info, ProviderRegistration registration) {
        this.info = info;
        this.registration = registration;
    }

    TransportProvider provider() {
        return registration.provider;
    }

    CatalogEntryDTO dto() {
        CatalogEntryDTO d = new CatalogEntryDTO();
        d.catalogEntryId = info.dwCatalogEntryId;
        d.protocol = info.szProtocol;
        d.addressFamily = info.iAddressFamily;
        d.socketType = info.iSocketType;
        d.protocolNumber = info.iProtocol;
        d.serviceFlags1 = info.dwServiceFlags1;
        return d;
    }

    /** A copy the caller may hand out or let a provider keep. */
    WSAPROTOCOL_INFO copy() {
        return new WSAPROTOCOL_INFO(info);
    }
}
