/**
 * The transport provider SPI: what a provider bundle implements ({@link org.joinleaf.spi.TransportProvider},
 * {@link org.joinleaf.spi.ProviderSocket}, {@link org.joinleaf.spi.MultipointSocket},
 * {@link org.joinleaf.spi.ConnectionRequest}) and the upcalls the runtime offers it
 * ({@link org.joinleaf.spi.SocketUpcalls}, {@link org.joinleaf.spi.ConnectCompletion}). The runtime owns every rule
 * that is the same for all providers; a provider implements only its transport, asynchronously. A provider may also
 * offer operators its limit and drop counters, budgets and I/O thread state ({@link org.joinleaf.spi.ProviderStatus}).
 */
@Version("1.7.0")
@Export
package org.joinleaf.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
