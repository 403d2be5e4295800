package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.AF_INET6;
import static org.joinleaf.api.Winsock2.IPPROTO_UDP;
import static org.joinleaf.api.Winsock2.SOCK_DGRAM;
import static org.joinleaf.api.Winsock2.XP1_MULTIPOINT_CONTROL_PLANE;
import static org.joinleaf.api.Winsock2.XP1_MULTIPOINT_DATA_PLANE;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.List;
import java.util.Map;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.junit.Test;

/** The catalog entries (§1.3, §2.2; scenario 4: P-np shows 0x400 without plane bits). */
public class MulticastCatalogTest {

    @Test
    public void scenario4_entriesAreNonRootedUdpMultipointForBothFamilies() throws Exception {
        MulticastProvider provider = Loopback.provider();
        try {
            List<WSAPROTOCOL_INFO> entries = provider.protocols();
            assertEquals(2, entries.size());
            check(entries.get(0), "joinleaf multicast [UDP/IP]", AF_INET, 16);
            check(entries.get(1), "joinleaf multicast [UDP/IPv6]", AF_INET6, 28);
            assertEquals(entries.get(0).ProviderId, entries.get(1).ProviderId);
        } finally {
            provider.deactivate();
        }
    }

    private static void check(WSAPROTOCOL_INFO e, String name, int family, int sockaddrSize) {
        assertEquals(name, e.szProtocol);
        assertEquals(family, e.iAddressFamily);
        assertEquals(SOCK_DGRAM, e.iSocketType);
        assertEquals(IPPROTO_UDP, e.iProtocol);
        assertEquals("XP1_SUPPORT_MULTIPOINT|XP1_CONNECTIONLESS|XP1_MESSAGE_ORIENTED", 0x409, e.dwServiceFlags1);
        assertFalse("control plane bit must be clear (non-rooted)", e.has(XP1_MULTIPOINT_CONTROL_PLANE));
        assertFalse("data plane bit must be clear (non-rooted)", e.has(XP1_MULTIPOINT_DATA_PLANE));
        assertEquals(65467, e.dwMessageSize);
        assertEquals(1, e.ProtocolChain.ChainLen);
        assertEquals(sockaddrSize, e.iMinSockAddr);
        assertEquals(sockaddrSize, e.iMaxSockAddr);
        assertEquals(MulticastCatalog.PROVIDER_ID, e.ProviderId);
    }

    @Test
    public void messageSizeFollowsMaxDatagramSize() throws Exception {
        MulticastProvider provider = Loopback.provider(Map.of("maxDatagramSize", 1200));
        try {
            assertEquals(1200, provider.protocols().get(0).dwMessageSize);
            assertEquals(1200, provider.protocols().get(1).dwMessageSize);
        } finally {
            provider.deactivate();
        }
    }

    @Test
    public void protocolsReturnsCopiesTheCallerMayChange() throws Exception {
        MulticastProvider provider = Loopback.provider();
        try {
            provider.protocols().get(0).dwServiceFlags1 = 0;
            assertEquals(0x409, provider.protocols().get(0).dwServiceFlags1);
        } finally {
            provider.deactivate();
        }
    }
}
