package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.WSAEADDRINUSE;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.spi.WsaException;

/**
 * The port-sharing rule of the provider's sockets, the same as provider.local's (issue 13): a socket may bind a port
 * another socket of this provider already holds on an overlapping address (equal, or either the wildcard) only when
 * the binding socket set {@code SO_REUSEADDR}, as on Windows, where the later binder's option decides; otherwise
 * {@code WSAEADDRINUSE}. The kernel cannot say this: every channel carries Linux's {@code SO_REUSEADDR} so that the
 * group-bound receiving channel ({@link GroupReceiver}) can share the socket's port.
 */
final class BoundPorts {
    private record Binding(LeafSocket owner, InetSocketAddress address) {
    }

    private final List<Binding> bindings = new ArrayList<>();

    /** Records {@code owner} on {@code address}; {@code WSAEADDRINUSE} when it may not share it. */
    synchronized void claim(LeafSocket owner, InetSocketAddress address, boolean reuse) throws WsaException {
        if (!reuse) {
            for (Binding b : bindings) {
                if (b.owner != owner && overlaps(b.address, address)) {
                    throw new WsaException(WSAEADDRINUSE, address + " overlaps " + b.address + ", bound by another "
                            + "socket; set SO_REUSEADDR before bind to share the port");
                }
            }
        }
        bindings.add(new Binding(owner, address));
    }

    /** Forgets every binding of {@code owner} (it closed or its bind failed). */
    synchronized void release(LeafSocket owner) {
        bindings.removeIf(b -> b.owner == owner);
    }

    private static boolean overlaps(InetSocketAddress a, InetSocketAddress b) {
        return a.getPort() == b.getPort() && a.getAddress().getClass() == b.getAddress().getClass()
                && (a.getAddress().isAnyLocalAddress() || b.getAddress().isAnyLocalAddress()
                || a.getAddress().equals(b.getAddress()));
    }
}
