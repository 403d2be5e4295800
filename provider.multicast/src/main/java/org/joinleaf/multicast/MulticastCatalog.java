package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.AF_INET6;
import static org.joinleaf.api.Winsock2.BASE_PROTOCOL;
import static org.joinleaf.api.Winsock2.IPPROTO_UDP;
import static org.joinleaf.api.Winsock2.PFL_MULTIPLE_PROTO_ENTRIES;
import static org.joinleaf.api.Winsock2.SOCK_DGRAM;
import static org.joinleaf.api.Winsock2.XP1_CONNECTIONLESS;
import static org.joinleaf.api.Winsock2.XP1_MESSAGE_ORIENTED;
import static org.joinleaf.api.Winsock2.XP1_SUPPORT_MULTIPOINT;

import java.util.List;
import java.util.UUID;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;

/**
 * The provider's catalog entries: UDP over IPv4 and IPv6, multipoint with both plane bits clear (non-rooted control
 * and data, §1.3), as Windows' own UDP entries carry them.
 */
final class MulticastCatalog {
    /** This provider's {@code ProviderId}, shared by both entries. */
    static final UUID PROVIDER_ID = UUID.fromString("6a6f696e-6c65-6166-6d63-617374000001");
    /** Windows' {@code dwMessageSize} for UDP: the largest datagram a socket may send. */
    static final int MAX_MESSAGE_SIZE = 65467;
    /** {@code XP1_*} bits of both entries. */
    static final int SERVICE_FLAGS = XP1_SUPPORT_MULTIPOINT | XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED;

    private MulticastCatalog() {
    }

    /** Both entries, IPv4 first; {@code maxMessageSize} is the configured largest datagram. */
    static List<WSAPROTOCOL_INFO> entries(int maxMessageSize) {
        return List.of(entry("joinleaf multicast [UDP/IP]", AF_INET, SOCKADDR.SIZEOF_SOCKADDR_IN, maxMessageSize),
                entry("joinleaf multicast [UDP/IPv6]", AF_INET6, SOCKADDR.SIZEOF_SOCKADDR_IN6, maxMessageSize));
    }

    private static WSAPROTOCOL_INFO entry(String name, int family, int sockaddrSize, int maxMessageSize) {
        WSAPROTOCOL_INFO e = new WSAPROTOCOL_INFO();
        e.szProtocol = name;
        e.ProviderId = PROVIDER_ID;
        e.dwServiceFlags1 = SERVICE_FLAGS;
        e.dwProviderFlags = PFL_MULTIPLE_PROTO_ENTRIES;
        e.ProtocolChain.ChainLen = BASE_PROTOCOL;
        e.iAddressFamily = family;
        e.iMinSockAddr = sockaddrSize;
        e.iMaxSockAddr = sockaddrSize;
        e.iSocketType = SOCK_DGRAM;
        e.iProtocol = IPPROTO_UDP;
        e.dwMessageSize = maxMessageSize;
        return e;
    }
}
