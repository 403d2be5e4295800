package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET_ADDRESS;
import org.joinleaf.api.SOCKET_ADDRESS_LIST;
import org.joinleaf.spi.WsaException;

/**
 * {@code SIO_ADDRESS_LIST_QUERY} (issue 13): the addresses of the socket's family on the host's interfaces that
 * are up, loopback included, as Windows lists them. A {@code cbOutBuffer} below the size the list needs is
 * {@code WSAEFAULT} with the size needed in {@code lpcbBytesReturned}, so a caller can retry with it.
 */
final class LocalAddresses {
    private LocalAddresses() {
    }

    /** Fills {@code out}; returns the bytes the C structure takes. */
    static int query(int family, Object out, int cbOutBuffer, int[] bytesReturned) throws WsaException {
        List<SOCKADDR> addresses = addresses(family);
        int needed = SOCKET_ADDRESS_LIST.sizeFor(addresses.toArray(new SOCKADDR[0]));
        if (!(out instanceof SOCKET_ADDRESS_LIST) || cbOutBuffer < needed) {
            if (bytesReturned != null && bytesReturned.length > 0) {
                bytesReturned[0] = needed;
            }
            throw new WsaException(WSAEFAULT, "SIO_ADDRESS_LIST_QUERY needs a SOCKET_ADDRESS_LIST and cbOutBuffer >= "
                    + needed + " for " + addresses.size() + " addresses");
        }
        SOCKET_ADDRESS_LIST list = (SOCKET_ADDRESS_LIST) out;
        list.iAddressCount = addresses.size();
        list.Address = new SOCKET_ADDRESS[addresses.size()];
        for (int i = 0; i < addresses.size(); i++) {
            SOCKET_ADDRESS a = new SOCKET_ADDRESS();
            a.lpSockaddr = addresses.get(i);
            a.iSockaddrLength = a.lpSockaddr.size();
            list.Address[i] = a;
        }
        return needed;
    }

    static List<SOCKADDR> addresses(int family) throws WsaException {
        List<SOCKADDR> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if ((a instanceof Inet6Address) == (family == AF_INET6)) {
                        out.add(SOCKADDR.of(a, 0));
                    }
                }
            }
        } catch (SocketException e) {
            throw new WsaException(WSAENETDOWN, "the interfaces cannot be listed: " + e.getMessage());
        }
        return out;
    }
}
