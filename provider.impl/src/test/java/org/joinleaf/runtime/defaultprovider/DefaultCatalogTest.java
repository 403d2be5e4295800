package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.List;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Rule;
import org.junit.Test;

/** The catalog looks like CE's built-in TCP/IP stack, and no socket of it can join (§3 R38, scenario 53). */
public class DefaultCatalogTest {
    @Rule
    public final ProviderFixture fixture = new ProviderFixture();

    private static final int TCP = XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE
            | XP1_EXPEDITED_DATA;
    private static final int UDP = XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST
            | XP1_SUPPORT_MULTIPOINT;

    @Test
    public void fourEntriesInCeOrderWithExactFlags() { // §2.2, §4 (scenario 4 style: flags as advertised)
        List<WSAPROTOCOL_INFO> entries = fixture.provider.protocols();
        assertEquals(4, entries.size());
        check(entries.get(0), "joinleaf default [TCP/IP]", AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP, 0, 16);
        check(entries.get(1), "joinleaf default [UDP/IP]", AF_INET, SOCK_DGRAM, IPPROTO_UDP, UDP, 65467, 16);
        check(entries.get(2), "joinleaf default [TCP/IPv6]", AF_INET6, SOCK_STREAM, IPPROTO_TCP, TCP, 0, 28);
        check(entries.get(3), "joinleaf default [UDP/IPv6]", AF_INET6, SOCK_DGRAM, IPPROTO_UDP, UDP, 65467, 28);
    }

    private static void check(WSAPROTOCOL_INFO e, String name, int af, int type, int protocol, int flags1,
                              int messageSize, int sockaddrSize) {
        assertEquals(name, e.szProtocol);
        assertEquals(name, DefaultCatalog.PROVIDER_ID, e.ProviderId);
        assertEquals(name, af, e.iAddressFamily);
        assertEquals(name, type, e.iSocketType);
        assertEquals(name, protocol, e.iProtocol);
        assertEquals(name, flags1, e.dwServiceFlags1);
        assertFalse(name + ": no plane bits, no QoS, no connect data",
                e.has(XP1_MULTIPOINT_CONTROL_PLANE) || e.has(XP1_MULTIPOINT_DATA_PLANE)
                        || e.has(XP1_QOS_SUPPORTED) || e.has(XP1_CONNECT_DATA));
        assertEquals(name, PFL_MATCHES_PROTOCOL_ZERO, e.dwProviderFlags);
        assertEquals(name, BASE_PROTOCOL, e.ProtocolChain.ChainLen);
        assertEquals(name, messageSize, e.dwMessageSize);
        assertEquals(name, sockaddrSize, e.iMinSockAddr);
        assertEquals(name, sockaddrSize, e.iMaxSockAddr);
        assertEquals(name, 0, e.dwCatalogEntryId);
    }

    @Test
    public void protocolsAreCopiesTheRuntimeMayChange() { // §6: the runtime assigns dwCatalogEntryId to its copy
        fixture.provider.protocols().get(0).dwCatalogEntryId = 42;
        assertEquals(0, fixture.provider.protocols().get(0).dwCatalogEntryId);
    }

    @Test
    public void noSocketIsMultipointEvenWithMultipointFlags() throws Exception { // R38, scenario 53, decisions 1
        int leafFlags = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;
        for (WSAPROTOCOL_INFO entry : fixture.provider.protocols()) {
            for (int flags : new int[] {0, leafFlags}) {
                ProviderSocket s = fixture.provider.socket(entry, flags, new RecordingUpcalls());
                try {
                    assertFalse(entry.szProtocol + " flags 0x" + Integer.toHexString(flags),
                            s instanceof MultipointSocket);
                } finally {
                    s.close();
                }
            }
        }
    }
}
