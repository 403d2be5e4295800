package org.joinleaf.local;

import java.util.HashMap;
import java.util.Map;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.WsaException;

/** The virtual loopback addresses of one provider instance: which socket owns which address. Never an OS port. */
final class AddressSpace {
    static final int FIRST_EPHEMERAL = 49152;
    private static final int PORTS = 65536 - FIRST_EPHEMERAL;

    private final Map<SOCKADDR, LocalSocket> owners = new HashMap<>();
    private int nextEphemeral;

    /**
     * Gives {@code socket} the address {@code requested} (ADDR_ANY means loopback of its family, port 0 an ephemeral
     * port) and returns the address it got.
     */
    synchronized SOCKADDR bind(LocalSocket socket, SOCKADDR requested) throws WsaException {
        if (requested.sa_family != socket.family || !requested.isWellFormed()) {
            throw new WsaException(Winsock2.WSAEAFNOSUPPORT,
                    "address " + requested + " is not of the socket's family " + socket.family);
        }
        SOCKADDR a = Addresses.key(requested);
        if (a.isAny()) {
            a = Addresses.loopback(socket.family, a.port);
        } else if (!Addresses.isLoopback(a)) {
            throw new WsaException(Winsock2.WSAEADDRNOTAVAIL, "the local provider only has loopback addresses "
                    + "(127.0.0.0/8, ::1); " + requested + " is not one of them");
        }
        if (a.port == 0) {
            a.port = freePort(a);
        } else if (owners.containsKey(a)) {
            throw new WsaException(Winsock2.WSAEADDRINUSE, a + " is already bound by another local socket");
        }
        owners.put(a, socket);
        return new SOCKADDR().set(a);
    }

    private int freePort(SOCKADDR a) throws WsaException {
        for (int i = 0; i < PORTS; i++) {
            a.port = FIRST_EPHEMERAL + (nextEphemeral + i) % PORTS;
            if (!owners.containsKey(a)) {
                nextEphemeral = (nextEphemeral + i + 1) % PORTS;
                return a.port;
            }
        }
        throw new WsaException(Winsock2.WSAEADDRINUSE, "every ephemeral port of " + a + " is bound; close sockets");
    }

    synchronized LocalSocket owner(SOCKADDR address) {
        return owners.get(Addresses.key(address));
    }

    /** Frees {@code address} if {@code socket} still owns it. */
    synchronized void release(LocalSocket socket, SOCKADDR address) {
        owners.remove(Addresses.key(address), socket);
    }
}
