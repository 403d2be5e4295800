package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;

import java.util.List;
import java.util.UUID;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;

/**
 * The catalog entries of the default provider, shaped like Windows CE's built-in TCP/IP stack: TCP and UDP over
 * IPv4 and IPv6. UDP advertises {@code XP1_SUPPORT_MULTIPOINT} with both plane bits clear, as Windows does, yet no
 * socket of this provider can join (§3 R38): the runtime answers every join with {@code WSASYSCALLFAILURE}.
 */
final class DefaultCatalog {
    /** The default provider's {@code ProviderId}; fixed so that it is the same in every run. */
    static final UUID PROVIDER_ID = UUID.fromString("6a1f4e2c-7d3b-4c0e-9b8a-1e5d2f3c4b01");

    /** Largest UDP payload the entries advertise ({@code dwMessageSize}), as CE's stack does. */
    static final int MAX_UDP_MESSAGE = 65467;

    static final int TCP_FLAGS = XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE
            | XP1_EXPEDITED_DATA;
    static final int UDP_FLAGS = XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST
            | XP1_SUPPORT_MULTIPOINT;

    private DefaultCatalog() {
    }

    /** TCP/IP, UDP/IP, TCP/IPv6, UDP/IPv6, in that order (fresh copies). */
    static List<WSAPROTOCOL_INFO> entries() {
        return List.of(
                entry("joinleaf default [TCP/IP]", AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_FLAGS, 0),
                entry("joinleaf default [UDP/IP]", AF_INET, SOCK_DGRAM, IPPROTO_UDP, UDP_FLAGS, MAX_UDP_MESSAGE),
                entry("joinleaf default [TCP/IPv6]", AF_INET6, SOCK_STREAM, IPPROTO_TCP, TCP_FLAGS, 0),
                entry("joinleaf default [UDP/IPv6]", AF_INET6, SOCK_DGRAM, IPPROTO_UDP, UDP_FLAGS, MAX_UDP_MESSAGE));
    }

    private static WSAPROTOCOL_INFO entry(String name, int family, int type, int protocol, int flags1,
                                          int messageSize) {
        WSAPROTOCOL_INFO e = new WSAPROTOCOL_INFO();
        e.szProtocol = name;
        e.ProviderId = PROVIDER_ID;
        e.dwServiceFlags1 = flags1;
        e.dwProviderFlags = PFL_MATCHES_PROTOCOL_ZERO;
        e.ProtocolChain.ChainLen = BASE_PROTOCOL;
        e.iVersion = 2;
        e.iAddressFamily = family;
        int sockaddrSize = family == AF_INET6 ? SOCKADDR.SIZEOF_SOCKADDR_IN6 : SOCKADDR.SIZEOF_SOCKADDR_IN;
        e.iMinSockAddr = sockaddrSize;
        e.iMaxSockAddr = sockaddrSize;
        e.iSocketType = type;
        e.iProtocol = protocol;
        e.iNetworkByteOrder = 0; // big-endian
        e.dwMessageSize = messageSize;
        return e;
    }
}
