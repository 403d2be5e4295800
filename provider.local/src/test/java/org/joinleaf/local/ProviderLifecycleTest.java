package org.joinleaf.local;

import static org.joinleaf.local.Harness.addr;
import static org.joinleaf.local.Harness.request;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock2;
import org.joinleaf.local.Harness.Sock;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.junit.After;
import org.junit.Test;

/** Catalog, virtual addresses, ioctls and deactivation (groups A, B; §2.2, §2.6, decisions 12). */
public class ProviderLifecycleTest {
    private final Harness h = new Harness();

    @After
    public void stop() {
        h.close();
    }

    // Scenario 4, §2.2: P-rr bits, rooted control with non-rooted data, P-np bits; one ProviderId
    @Test
    public void catalogHasThreeSchemesForBothFamilies() {
        List<WSAPROTOCOL_INFO> entries = h.provider.protocols();
        assertEquals(6, entries.size());
        Set<Object> ids = entries.stream().map(e -> e.ProviderId).collect(Collectors.toSet());
        assertEquals(Set.of(LocalCatalog.PROVIDER_ID), ids);
        int reliable = Winsock2.XP1_CONNECT_DATA | Winsock2.XP1_GUARANTEED_DELIVERY | Winsock2.XP1_GUARANTEED_ORDER
                | Winsock2.XP1_MESSAGE_ORIENTED;
        for (int family : new int[] {Winsock2.AF_INET, Winsock2.AF_INET6}) {
            int size = family == Winsock2.AF_INET ? 16 : 28;
            WSAPROTOCOL_INFO rr = h.entry(LocalCatalog.ROOTED, family);
            assertEquals(0x400 | 0x800 | 0x1000 | reliable, rr.dwServiceFlags1);
            assertEquals(Winsock2.SOCK_SEQPACKET, rr.iSocketType);
            assertEquals(Winsock2.PFL_MATCHES_PROTOCOL_ZERO, rr.dwProviderFlags);
            WSAPROTOCOL_INFO relayed = h.entry(LocalCatalog.RELAYED, family);
            assertEquals(0x400 | 0x800 | reliable, relayed.dwServiceFlags1);
            WSAPROTOCOL_INFO np = h.entry(LocalCatalog.MULTICAST, family);
            assertEquals(0x400 | Winsock2.XP1_CONNECTIONLESS | Winsock2.XP1_MESSAGE_ORIENTED, np.dwServiceFlags1);
            assertEquals(Winsock2.SOCK_DGRAM, np.iSocketType);
            assertEquals(Winsock2.IPPROTO_UDP, np.iProtocol);
            for (WSAPROTOCOL_INFO e : List.of(rr, relayed, np)) {
                assertEquals(size, e.iMinSockAddr);
                assertEquals(size, e.iMaxSockAddr);
                assertEquals(65507, e.dwMessageSize);
                assertEquals(2, e.iVersion);
                assertEquals(1, e.ProtocolChain.ChainLen);
            }
        }
    }

    // §4 bind on the virtual address space: loopback only, ADDR_ANY is loopback, ephemeral ports, conflicts
    @Test
    public void bindFollowsTheVirtualLoopbackRules() throws Exception {
        Sock a = h.leaf(LocalCatalog.ROOTED);
        expectWsa(Winsock2.WSAEADDRNOTAVAIL, () -> a.socket().bind(SOCKADDR.of("192.168.1.1", 9000)));
        a.socket().bind(SOCKADDR.any(Winsock2.AF_INET, 0));
        SOCKADDR bound = a.socket().localAddress();
        assertEquals(SOCKADDR.of("127.0.0.1", bound.port), bound);
        assertTrue(bound.port >= AddressSpace.FIRST_EPHEMERAL);
        expectWsa(Winsock2.WSAEINVAL, () -> a.socket().bind(addr(9001)));

        Sock b = h.leaf(LocalCatalog.ROOTED);
        b.socket().bind(SOCKADDR.of("127.0.0.2", bound.port));
        Sock c = h.leaf(LocalCatalog.MULTICAST);
        expectWsa(Winsock2.WSAEADDRINUSE, () -> c.socket().bind(bound));
        b.socket().close();
        c.socket().bind(SOCKADDR.of("127.0.0.2", bound.port));
    }

    // §2.6, §4 WSAIoctl; decisions 10 (no QoS)
    @Test
    public void ioctlsStoreLoopbackAndScopeAndRefuseQos() throws Exception {
        Sock s = h.leaf(LocalCatalog.MULTICAST);
        LocalSocket local = (LocalSocket) s.socket();
        assertTrue(local.loopback());
        assertEquals(1, local.multicastScope());
        s.socket().ioctl(Winsock2.SIO_MULTICAST_SCOPE, 0, null);
        assertEquals(0, local.multicastScope());
        expectWsa(Winsock2.WSAEINVAL, () -> s.socket().ioctl(Winsock2.SIO_MULTICAST_SCOPE, -1, null));
        expectWsa(Winsock2.WSAEINVAL, () -> s.socket().ioctl(Winsock2.SIO_MULTIPOINT_LOOPBACK, 1, null));
        expectWsa(Winsock2.WSAEOPNOTSUPP, () -> s.socket().ioctl(Winsock2.SIO_SET_QOS, null, null));
        expectWsa(Winsock2.WSAEOPNOTSUPP, () -> s.socket().ioctl(Winsock2.SIO_GET_QOS, null, null));
    }

    // Decisions 12, reliability "provider stopped": deactivate closes every socket silently, stops the timer
    @Test
    public void deactivateClosesEverythingSilently() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        Sock link = h.admit(root, leaf, Winsock2.JL_BOTH);
        Sock waiting = h.leaf(LocalCatalog.ROOTED);
        RecordingCompletion pending = new RecordingCompletion();
        waiting.mp().join(request(addr(7000), null, Winsock2.JL_BOTH), pending);

        h.provider.deactivate();

        assertEquals(0, h.network().openSockets());
        for (Sock s : new Sock[] {root, leaf, link, waiting}) {
            assertEquals(0, s.events().count(Winsock2.FD_CLOSE_BIT));
            assertTrue(((LocalSocket) s.socket()).isClosed());
        }
        assertEquals(0, pending.calls());
        // The executor reports termination just before its worker thread returns: give that thread a bounded moment.
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("joinleaf-local-join-timeouts")) {
                t.join(2000);
            }
        }
        assertFalse("timer thread stopped", Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("joinleaf-local-join-timeouts") && t.isAlive()));
        expectWsa(Winsock2.WSAENETDOWN, () -> h.leaf(LocalCatalog.ROOTED));
    }

    // Decisions 3/4: the rooted entries make only multipoint sockets
    @Test
    public void rootedEntryRefusesSocketsWithoutMultipointFlags() {
        expectWsa(Winsock2.WSAEINVAL, () -> h.socket(LocalCatalog.ROOTED, 0));
    }
}
