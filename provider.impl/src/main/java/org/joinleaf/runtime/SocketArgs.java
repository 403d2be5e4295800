package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.WsaException;

/** The argument checks several calls share: addresses and their lengths (R4, R6), data buffers. */
final class SocketArgs {
    private SocketArgs() {
    }

    /** R4 and R6: a readable name of the socket's family, with a namelen that covers it. */
    static void checkName(SocketRecord r, SOCKADDR name, int namelen) throws WsaException {
        if (name == null) {
            throw new WsaException(WSAEFAULT, "name is required");
        }
        int needed = Math.max(name.size(), r.entry.info.iMinSockAddr);
        if (namelen < needed) {
            throw new WsaException(WSAEFAULT, "namelen " + namelen + " is smaller than the " + needed
                    + " bytes of the address; pass the size of the sockaddr");
        }
        if (name.sa_family != r.entry.info.iAddressFamily) {
            throw new WsaException(WSAEAFNOSUPPORT, "address family " + name.sa_family
                    + " does not suit a socket of family " + r.entry.info.iAddressFamily);
        }
        if (!name.isWellFormed()) {
            throw new WsaException(WSAEFAULT, "name is malformed: " + name);
        }
    }

    /** Copies an address out ({@code getsockname}, {@code getpeername}). */
    static int copyName(SOCKADDR value, SOCKADDR name, int[] namelen) throws WsaException {
        if (name == null || namelen == null || namelen.length < 1 || namelen[0] < value.size()) {
            throw new WsaException(WSAEFAULT, "namelen must be at least " + value.size() + " bytes");
        }
        name.set(value);
        namelen[0] = value.size();
        return 0;
    }

    static void checkBuffer(byte[] buf, int len) throws WsaException {
        if (buf == null || len < 0 || len > buf.length) {
            throw new WsaException(WSAEFAULT, "buf must hold at least len bytes (len " + len + ", buf "
                    + (buf == null ? "null" : buf.length + " bytes") + ")");
        }
    }
}
