package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.WSAEADDRINUSE;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.spi.WsaException;

/**
 * The port-sharing rule of the provider's sockets, the same as provider.local's (issue 13) and Windows' since Server
 * 2003: two sockets may hold the same address and port only when both set {@code SO_REUSEADDR} before bind
 * (otherwise {@code WSAEADDRINUSE}); the wildcard address and a specific address are different addresses, so a
 * specific bind beside a wildcard one on the same port succeeds. The kernel cannot say this: every channel carries
 * Linux's {@code SO_REUSEADDR} so that the group-bound receiving channel ({@link GroupReceiver}) can share the port.
 */
final class BoundPorts {
    private record Binding(LeafSocket owner, InetSocketAddress address, boolean reuse) {
    }

    private final List<Binding> bindings = new ArrayList<>();

    /** Records {@code owner} on {@code address}; {@code WSAEADDRINUSE} when it may not share it. */
    synchronized void claim(LeafSocket owner, InetSocketAddress address, boolean reuse) throws WsaException {
        for (Binding b : bindings) {
            if (b.owner != owner && b.address.equals(address) && !(b.reuse && reuse)) {
                throw new WsaException(WSAEADDRINUSE, address + " is bound by another socket; to share it, both "
                        + "must set SO_REUSEADDR before bind");
            }
        }
        bindings.add(new Binding(owner, address, reuse));
    }

    /** Forgets every binding of {@code owner} (it closed or its bind failed). */
    synchronized void release(LeafSocket owner) {
        bindings.removeIf(b -> b.owner == owner);
    }
}
