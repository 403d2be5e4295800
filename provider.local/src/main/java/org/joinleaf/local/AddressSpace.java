package org.joinleaf.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.WsaException;

/**
 * The virtual loopback addresses of one provider instance: which sockets hold which address. Never an OS port.
 *
 * <p>The port-sharing rule is provider.multicast's and Windows' (issue 13): two sockets may hold the same address
 * and port only when both set {@code SO_REUSEADDR} before bind, otherwise {@code WSAEADDRINUSE}. Different addresses
 * on one port coexist. The one difference from provider.multicast: here {@code ADDR_ANY} is 127.0.0.1 (the virtual
 * host's address), so it conflicts with 127.0.0.1, where a real host keeps the wildcard apart.
 */
final class AddressSpace {
    static final int FIRST_EPHEMERAL = 49152;
    private static final int PORTS = 65536 - FIRST_EPHEMERAL;

    /** One socket's hold on an address; {@code reuse} is its {@code SO_REUSEADDR} at bind. */
    private record Binding(LocalSocket socket, SOCKADDR address, boolean reuse) {
    }

    /** Bindings by family and port, in bind order. */
    private final Map<Long, List<Binding>> ports = new HashMap<>();
    private int nextEphemeral;

    /**
     * Gives {@code socket} the address {@code requested} (ADDR_ANY means loopback of its family, port 0 an ephemeral
     * port) and returns the address it got; {@code reuse} is the socket's {@code SO_REUSEADDR}.
     */
    synchronized SOCKADDR bind(LocalSocket socket, SOCKADDR requested, boolean reuse) throws WsaException {
        if (requested.sa_family != socket.family || !requested.isWellFormed()) {
            throw new WsaException(Winsock2.WSAEAFNOSUPPORT,
                    "address " + requested + " is not of the socket's family " + socket.family);
        }
        SOCKADDR a = Addresses.key(requested);
        if (a.isAny()) {
            a = Addresses.loopback(socket.family, a.port);
        } else if (!Addresses.isLoopback(a)) {
            throw new WsaException(Winsock2.WSAEADDRNOTAVAIL, "the local provider only has loopback addresses "
                    + "(127.0.0.0/8, ::1); " + requested + " is not one of them"
                    + (Addresses.isMulticast(a) ? " (bind ADDR_ANY with the group's port, then WSAJoinLeaf)" : ""));
        }
        if (a.port == 0) {
            a.port = freePort(a.sa_family);
        } else {
            for (Binding b : bindings(a.sa_family, a.port)) {
                if (b.address.equals(a) && !(b.reuse && reuse)) {
                    throw new WsaException(Winsock2.WSAEADDRINUSE, a + " is already bound by another local socket; "
                            + "to share it, both must set SO_REUSEADDR before bind");
                }
            }
        }
        ports.computeIfAbsent(key(a.sa_family, a.port), k -> new ArrayList<>()).add(new Binding(socket, a, reuse));
        return new SOCKADDR().set(a);
    }

    private int freePort(int family) throws WsaException {
        for (int i = 0; i < PORTS; i++) {
            int port = FIRST_EPHEMERAL + (nextEphemeral + i) % PORTS;
            if (bindings(family, port).isEmpty()) {
                nextEphemeral = (nextEphemeral + i + 1) % PORTS;
                return port;
            }
        }
        throw new WsaException(Winsock2.WSAEADDRINUSE, "every ephemeral port of family " + family
                + " is bound; close sockets");
    }

    /** The socket unicast to {@code address} reaches: the first that bound it (sharing sockets: the earliest). */
    synchronized LocalSocket owner(SOCKADDR address) {
        SOCKADDR a = Addresses.key(address);
        for (Binding b : bindings(a.sa_family, a.port)) {
            if (b.address.equals(a)) {
                return b.socket;
            }
        }
        return null;
    }

    /** Frees {@code address} if {@code socket} still holds it. */
    synchronized void release(LocalSocket socket, SOCKADDR address) {
        SOCKADDR a = Addresses.key(address);
        Long k = key(a.sa_family, a.port);
        List<Binding> list = ports.get(k);
        if (list != null && list.removeIf(b -> b.socket == socket) && list.isEmpty()) {
            ports.remove(k);
        }
    }

    private List<Binding> bindings(int family, int port) {
        return ports.getOrDefault(key(family, port), List.of());
    }

    private static Long key(int family, int port) {
        return ((long) family << 16) | port;
    }
}
