package org.joinleaf.spi;

import java.util.List;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A transport provider, registered as an OSGi service (whiteboard): the runtime's catalog binds every registered
 * provider dynamically, orders their entries by {@code service.ranking} (highest first) and then by registration,
 * and routes each new socket to the first entry that matches. A socket stays with the provider that created it; when
 * the service goes away, each of its sockets gets {@code FD_CLOSE} with {@code WSAENETDOWN} and later calls fail with
 * {@code WSAENETDOWN} (decisions 12).
 *
 * <p>Pitfalls: unregister (deactivate) only after refusing new work; {@link ProviderSocket#close} is still called for
 * each socket while the service is being unbound, so keep your event loops alive until deactivate returns.
 */
@ConsumerType
public interface TransportProvider {

    /** Service property: a short human name for shells and logs. */
    String PROVIDER_NAME = "joinleaf.provider.name";

    /**
     * The catalog entries this provider serves, in its preferred order ({@code WSCInstallProvider}). Entries of one
     * provider share its {@code ProviderId}. The runtime copies them and assigns {@code dwCatalogEntryId}; the list
     * must not change while the service is registered.
     */
    List<WSAPROTOCOL_INFO> protocols();

    /**
     * {@code WSPSocket}: creates the transport for a new socket on {@code entry} (a copy of one of
     * {@link #protocols()}). {@code dwFlags} were checked against the entry by the runtime. A socket created with
     * multipoint flags should implement {@link MultipointSocket} if the provider supports joins.
     */
    ProviderSocket socket(WSAPROTOCOL_INFO entry, int dwFlags, SocketUpcalls upcalls) throws WsaException;
}
