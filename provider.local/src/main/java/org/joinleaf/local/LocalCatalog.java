package org.joinleaf.local;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock2;

/** The catalog entries of the local provider: three schemes, each for IPv4 and IPv6, one ProviderId. */
final class LocalCatalog {
    /** The provider's GUID; fixed so that catalog listings stay stable across restarts. */
    static final UUID PROVIDER_ID = UUID.fromString("8f1c3a52-6d0e-4b7a-9e25-4c1d7b0a6f31");

    static final String ROOTED = "joinleaf local multipoint [rooted]";
    static final String RELAYED = "joinleaf local multipoint [rooted control, non-rooted data]";
    static final String MULTICAST = "joinleaf local multicast [non-rooted]";

    private static final int RELIABLE_ROOTED_CONTROL = Winsock2.XP1_SUPPORT_MULTIPOINT
            | Winsock2.XP1_MULTIPOINT_CONTROL_PLANE | Winsock2.XP1_CONNECT_DATA | Winsock2.XP1_GUARANTEED_DELIVERY
            | Winsock2.XP1_GUARANTEED_ORDER | Winsock2.XP1_MESSAGE_ORIENTED;

    private LocalCatalog() {
    }

    static List<WSAPROTOCOL_INFO> entries(int maxMessageSize) {
        List<WSAPROTOCOL_INFO> entries = new ArrayList<>(6);
        for (int family : new int[] {Winsock2.AF_INET, Winsock2.AF_INET6}) {
            entries.add(entry(ROOTED, family, Winsock2.SOCK_SEQPACKET, 0,
                    RELIABLE_ROOTED_CONTROL | Winsock2.XP1_MULTIPOINT_DATA_PLANE, maxMessageSize));
        }
        for (int family : new int[] {Winsock2.AF_INET, Winsock2.AF_INET6}) {
            entries.add(entry(RELAYED, family, Winsock2.SOCK_SEQPACKET, 0, RELIABLE_ROOTED_CONTROL, maxMessageSize));
        }
        for (int family : new int[] {Winsock2.AF_INET, Winsock2.AF_INET6}) {
            entries.add(entry(MULTICAST, family, Winsock2.SOCK_DGRAM, Winsock2.IPPROTO_UDP,
                    Winsock2.XP1_SUPPORT_MULTIPOINT | Winsock2.XP1_CONNECTIONLESS | Winsock2.XP1_MESSAGE_ORIENTED,
                    maxMessageSize));
        }
        return List.copyOf(entries);
    }

    private static WSAPROTOCOL_INFO entry(String name, int family, int type, int protocol, int flags1,
                                          int maxMessageSize) {
        WSAPROTOCOL_INFO e = new WSAPROTOCOL_INFO();
        e.szProtocol = name;
        e.ProviderId = PROVIDER_ID;
        e.iAddressFamily = family;
        e.iSocketType = type;
        e.iProtocol = protocol;
        e.dwServiceFlags1 = flags1;
        e.dwProviderFlags = Winsock2.PFL_MATCHES_PROTOCOL_ZERO;
        int size = family == Winsock2.AF_INET6 ? SOCKADDR.SIZEOF_SOCKADDR_IN6 : SOCKADDR.SIZEOF_SOCKADDR_IN;
        e.iMinSockAddr = size;
        e.iMaxSockAddr = size;
        e.dwMessageSize = maxMessageSize;
        e.iVersion = 2;
        e.ProtocolChain.ChainLen = Winsock2.BASE_PROTOCOL;
        return e;
    }
}
