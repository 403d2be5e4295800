package org.joinleaf.multicast;

import java.util.function.Consumer;

/**
 * What every socket of one activation shares with the provider.
 *
 * @param settings     the validated configuration
 * @param loop         the I/O thread
 * @param localSources this host's addresses, for loopback off
 * @param ports        the port-sharing rule
 * @param budget       the receive bytes of all sockets
 * @param onClose      how a closing socket leaves the provider's set
 */
record SocketContext(MulticastSettings settings, SelectorLoop loop, LocalSources localSources, BoundPorts ports,
                     ReceiveBudget budget, Consumer<LeafSocket> onClose) {
}
