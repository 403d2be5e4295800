package org.joinleaf.ports;

import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;

/**
 * Stand-ins for the name functions the ported programs call and joinleaf's Winsock service does not offer yet
 * (issue 13 deliverable 1: {@code getaddrinfo}, {@code freeaddrinfo}, {@code getnameinfo}). Numeric only, no name
 * lookup: enough for the samples, which the tests run with address literals. Each line calling one is marked
 * {@code // PORT: pending <call>}; when the service has the call, the program calls it instead and the mark goes.
 */
public final class Pending {
    /** {@code AI_PASSIVE} (ws2def.h). */
    public static final int AI_PASSIVE = 0x00000001;
    /** {@code NI_NUMERICHOST}, {@code NI_NUMERICSERV}, {@code NI_MAXHOST}, {@code NI_MAXSERV} (ws2def.h). */
    public static final int NI_NUMERICHOST = 0x02;
    public static final int NI_NUMERICSERV = 0x08;
    public static final int NI_MAXHOST = 1025;
    public static final int NI_MAXSERV = 32;
    /** {@code EAI_NONAME}: the node is not a numeric address (a name would need the resolver). */
    public static final int EAI_NONAME = 11001;

    private Pending() {
    }

    /** {@code struct addrinfo}; the field names are the C ones. */
    public static final class addrinfo {
        public int ai_flags;
        public int ai_family;
        public int ai_socktype;
        public int ai_protocol;
        public int ai_addrlen;
        public String ai_canonname;
        public SOCKADDR ai_addr;
        public addrinfo ai_next;
    }

    /**
     * {@code getaddrinfo} for a numeric node (or {@code null}: the wildcard with {@code AI_PASSIVE}, else loopback)
     * and a numeric service. Returns 0 with {@code res[0]} set, or an {@code EAI_*} code.
     */
    public static int getaddrinfo(String pNodeName, String pServiceName, addrinfo pHints, addrinfo[] ppResult) {
        int family = pHints == null ? Winsock2.AF_UNSPEC : pHints.ai_family;
        int port;
        try {
            port = pServiceName == null ? 0 : Integer.parseInt(pServiceName);
        } catch (NumberFormatException e) {
            return EAI_NONAME;
        }
        if (port < 0 || port > 0xFFFF) {
            return EAI_NONAME;
        }
        SOCKADDR a;
        if (pNodeName == null) {
            int af = family == Winsock2.AF_INET6 ? Winsock2.AF_INET6 : Winsock2.AF_INET;
            boolean passive = pHints != null && (pHints.ai_flags & AI_PASSIVE) != 0;
            a = passive ? SOCKADDR.any(af, port) : SOCKADDR.of(af == Winsock2.AF_INET6 ? "::1" : "127.0.0.1", port);
        } else {
            try {
                a = SOCKADDR.of(pNodeName, port);
            } catch (IllegalArgumentException e) {
                return EAI_NONAME;
            }
        }
        if (family != Winsock2.AF_UNSPEC && family != a.sa_family) {
            return EAI_NONAME;
        }
        addrinfo r = new addrinfo();
        r.ai_family = a.sa_family;
        r.ai_socktype = pHints == null ? 0 : pHints.ai_socktype;
        r.ai_protocol = pHints == null ? 0 : pHints.ai_protocol;
        r.ai_addr = a;
        r.ai_addrlen = a.size();
        ppResult[0] = r;
        return 0;
    }

    /** {@code freeaddrinfo}: nothing to free in Java. */
    public static void freeaddrinfo(addrinfo pAddrInfo) {
    }

    /** {@code getnameinfo} with {@code NI_NUMERICHOST | NI_NUMERICSERV}: the address and port as digits. */
    public static int getnameinfo(SOCKADDR pSockaddr, int SockaddrLength, StringBuilder pNodeBuffer,
                                  int NodeBufferSize, StringBuilder pServiceBuffer, int ServiceBufferSize,
                                  int Flags) {
        if (pSockaddr == null || !pSockaddr.isWellFormed() || SockaddrLength < pSockaddr.size()) {
            return Winsock2.WSAEFAULT;
        }
        pNodeBuffer.setLength(0);
        pNodeBuffer.append(pSockaddr.toInetSocketAddress().getAddress().getHostAddress());
        pServiceBuffer.setLength(0);
        pServiceBuffer.append(pSockaddr.port);
        return 0;
    }
}
