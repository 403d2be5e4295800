package org.joinleaf.multicast;

import java.util.function.Consumer;
import org.joinleaf.spi.DatagramBudget;
import org.joinleaf.spi.LocalSources;

/**
 * What every socket of one activation shares with the provider.
 *
 * @param settings     the validated configuration
 * @param loops        the I/O threads; each socket takes one
 * @param localSources this host's addresses, for loopback off
 * @param ports        the port-sharing rule
 * @param budget       the receive bytes of all sockets
 * @param onClose      how a closing socket leaves the provider's set
 */
record SocketContext(MulticastSettings settings, SelectorLoops loops, LocalSources localSources, BoundPorts ports,
                     DatagramBudget<DropReason> budget, Consumer<LeafSocket> onClose) {
}
