package org.joinleaf.multicast;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Set;

/**
 * Tells datagrams this host's own provider sockets sent from everything else, for {@code SIO_MULTIPOINT_LOOPBACK}
 * = FALSE, which Windows applies on the receive path (§4). The kernel loops every multicast datagram back
 * ({@code IP_MULTICAST_LOOP} stays on, so other members on this host still get it); a member that turned loopback
 * off drops those that came from here.
 *
 * <p>What is compared, exactly: a datagram is "own" when its source address is a loopback address or one of the
 * addresses this host's interfaces had when the provider was activated, <b>and</b> its source port is the local
 * port of an open socket of this provider of the same address family. Members on this host share the group's port,
 * so any member's datagrams count; another program on this host sending from another port does not, and neither
 * does a remote host.
 */
final class OwnTraffic {
    private final Set<InetAddress> hostAddresses;
    private final Collection<LeafSocket> sockets;

    /** {@code sockets} is the provider's live set of open sockets. */
    OwnTraffic(Collection<InetAddress> hostAddresses, Collection<LeafSocket> sockets) {
        this.hostAddresses = Set.copyOf(hostAddresses);
        this.sockets = sockets;
    }

    /** True when {@code source} is one of this provider's sockets on this host. */
    boolean isOwn(InetSocketAddress source) {
        InetAddress address = source.getAddress();
        if (!address.isLoopbackAddress() && !hostAddresses.contains(address)) {
            return false;
        }
        for (LeafSocket s : sockets) {
            if (s.localPort() == source.getPort() && s.matchesFamily(address)) {
                return true;
            }
        }
        return false;
    }
}
