package org.joinleaf.itests;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.itests.WinsockFixture.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The runtime with only the CE-style default provider, in Felix: group A and L of the conformance plan, the
 * socket-creation flag rules, and per-bundle processes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DefaultProviderIT extends InFramework {

    @Configuration
    public Option[] config() {
        return new Option[] {JoinleafOptions.base()};
    }

    private static final String[] DEFAULT_ENTRIES = {
        "joinleaf default [TCP/IP]", "joinleaf default [UDP/IP]", "joinleaf default [TCP/IPv6]", "joinleaf default [UDP/IPv6]"};

    @Test
    public void l53_defaultProviderFailsEveryJoinWithSysCallFailure_R38() {
        startup(ws);
        for (String name : DEFAULT_ENTRIES) {
            WSAPROTOCOL_INFO entry = entryNamed(ws, name);
            boolean udp = entry.iSocketType == SOCK_DGRAM;
            int[] socketFlags = udp ? new int[] {0, WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF} : new int[] {0};
            SOCKADDR peer = SOCKADDR.of(entry.iAddressFamily == AF_INET6 ? "::1" : "127.0.0.1", 9);
            for (int flags : socketFlags) {
                SOCKET s = ws.WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, entry, 0, flags);
                assertNotEquals(name, SOCKET.INVALID_SOCKET, s);
                // whatever the arguments: valid, null name, bad dwFlags, caller data, QoS
                assertFails(ws, WSASYSCALLFAILURE, ws.WSAJoinLeaf(s, peer, peer.size(), null, null, null, null, JL_BOTH));
                assertTrue("the message says what to do: " + ws.WSAGetLastErrorMessage(),
                        ws.WSAGetLastErrorMessage().contains("install a multipoint provider"));
                assertFails(ws, WSASYSCALLFAILURE, ws.WSAJoinLeaf(s, null, 0, null, null, null, null, 0));
                assertFails(ws, WSASYSCALLFAILURE, ws.WSAJoinLeaf(s, peer, peer.size(), WSABUF.of(new byte[] {1, 2}),
                        WSABUF.allocate(8), new QOS(), null, 0x80));
                assertEquals(0, ws.closesocket(s));
            }
        }
    }

    @Test
    public void a1_l54_notInitialisedComesBeforeSysCallFailure_R1() {
        SOCKADDR peer = SOCKADDR.of("127.0.0.1", 9);
        assertFails(ws, WSANOTINITIALISED, ws.WSAJoinLeaf(SOCKET.of(0x100), peer, 16, null, null, null, null, JL_BOTH));
        assertTrue(ws.WSAGetLastErrorMessage(), ws.WSAGetLastErrorMessage().contains("WSAStartup"));
        startup(ws);
        SOCKET s = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, 0);
        assertNotEquals(SOCKET.INVALID_SOCKET, s);
        assertEquals(0, ws.WSACleanup());
        // after the last cleanup: not initialised, even for a descriptor that existed
        assertFails(ws, WSANOTINITIALISED, ws.WSAJoinLeaf(s, peer, 16, null, null, null, null, JL_BOTH));
    }

    @Test
    public void a2_unknownDescriptorIsNotSock_R2() {
        startup(ws);
        SOCKADDR peer = SOCKADDR.of("127.0.0.1", 9);
        assertFails(ws, WSAENOTSOCK, ws.WSAJoinLeaf(SOCKET.of(0x7FFF_FFF0L), peer, 16, null, null, null, null, JL_BOTH));
        assertFails(ws, WSAENOTSOCK, ws.WSAJoinLeaf(SOCKET.INVALID_SOCKET, peer, 16, null, null, null, null, JL_BOTH));
        SOCKET s = ws.WSASocket(AF_INET, SOCK_STREAM, 0, null, 0, 0);
        assertEquals(0, ws.closesocket(s));
        assertFails(ws, WSAENOTSOCK, ws.WSAJoinLeaf(s, peer, 16, null, null, null, null, JL_BOTH));
        assertFails(ws, WSAENOTSOCK, ws.closesocket(s));
    }

    @Test
    public void startupIsReferenceCounted_section4() {
        startup(ws);
        startup(ws);
        SOCKET s = ws.WSASocket(AF_INET, SOCK_STREAM, 0, null, 0, 0);
        assertEquals(0, ws.WSACleanup());
        int[] nb = {1};
        assertEquals("one startup is left, the socket lives", 0, ws.ioctlsocket(s, FIONBIO, nb));
        assertEquals(0, ws.WSACleanup());
        assertFails(ws, WSANOTINITIALISED, ws.ioctlsocket(s, FIONBIO, nb));
        assertFails(ws, WSANOTINITIALISED, ws.WSACleanup());
    }

    @Test
    public void lastErrorIsPerThread_section4() throws Exception {
        startup(ws);
        assertFails(ws, WSAENOTSOCK, ws.closesocket(SOCKET.of(0x12345670L)));
        int other = CompletableFuture.supplyAsync(() -> {
            ws.WSASetLastError(WSAEWOULDBLOCK);
            return ws.WSAGetLastError();
        }).get(10, TimeUnit.SECONDS);
        assertEquals(WSAEWOULDBLOCK, other);
        assertLastError(ws, WSAENOTSOCK);
        ws.WSASetLastError(0);
        assertEquals(0, ws.WSAGetLastError());
    }

    @Test
    public void a3_enumProtocolsReportsTheSizeItNeeds() {
        startup(ws);
        int[] len = {0};
        assertFails(ws, WSAENOBUFS, ws.WSAEnumProtocols(null, null, len));
        assertEquals(DEFAULT_ENTRIES.length * WSAPROTOCOL_INFO.SIZE, len[0]);
        int[] tooSmall = {len[0] - 1};
        assertFails(ws, WSAENOBUFS, ws.WSAEnumProtocols(null, WSAPROTOCOL_INFO.array(len[0]), tooSmall));
        assertEquals(len[0], tooSmall[0]);
        WSAPROTOCOL_INFO[] buf = WSAPROTOCOL_INFO.array(len[0]);
        assertEquals(DEFAULT_ENTRIES.length, ws.WSAEnumProtocols(null, buf, len));
        // the filter: only UDP entries
        int[] udpLen = {len[0]};
        assertEquals(2, ws.WSAEnumProtocols(new int[] {IPPROTO_UDP, 0}, WSAPROTOCOL_INFO.array(len[0]), udpLen));
    }

    @Test
    public void catalogShowsCeLikeEntries_section2_2() {
        startup(ws);
        WSAPROTOCOL_INFO udp = entryNamed(ws, "joinleaf default [UDP/IP]");
        assertTrue("UDP carries XP1_SUPPORT_MULTIPOINT", udp.has(XP1_SUPPORT_MULTIPOINT));
        assertFalse(udp.has(XP1_MULTIPOINT_CONTROL_PLANE));
        assertFalse(udp.has(XP1_MULTIPOINT_DATA_PLANE));
        WSAPROTOCOL_INFO tcp = entryNamed(ws, "joinleaf default [TCP/IP]");
        assertFalse(tcp.has(XP1_SUPPORT_MULTIPOINT));
        assertTrue(tcp.dwCatalogEntryId >= 1001);
    }

    @Test
    public void b6_b9_b10_socketCreationFlagRules_decisions3() {
        startup(ws);
        // b10: TCP entry has no XP1_SUPPORT_MULTIPOINT
        assertFails(ws, WSAEINVAL, ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0,
                WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF));
        // b6: non-rooted control plane (UDP) refuses C_ROOT
        assertFails(ws, WSAEINVAL, ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0,
                WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF));
        // b7: non-rooted data plane refuses D_ROOT
        assertFails(ws, WSAEINVAL, ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0,
                WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_ROOT));
        // b9: both control flags
        assertFails(ws, WSAEINVAL, ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0,
                WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF));
        // b5 analogue: c_leaf/d_leaf on the UDP entry is allowed, and SO_PROTOCOL_INFO names the entry
        SOCKET s = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0,
                WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF);
        assertNotEquals(SOCKET.INVALID_SOCKET, s);
        WSAPROTOCOL_INFO info = new WSAPROTOCOL_INFO();
        int[] len = {WSAPROTOCOL_INFO.SIZE};
        assertEquals(0, ws.getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFO, info, len));
        assertEquals("joinleaf default [UDP/IP]", info.szProtocol);
        // nothing matches: the error names the field
        assertFails(ws, WSAESOCKTNOSUPPORT, ws.WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, 0));
        assertFails(ws, WSAEAFNOSUPPORT, ws.WSASocket(99, SOCK_STREAM, 0, null, 0, 0));
        assertFails(ws, WSAEPROTONOSUPPORT, ws.WSASocket(AF_INET, SOCK_STREAM, 250, null, 0, 0));
    }

    @Test
    public void eachBundleIsItsOwnProcess_handlesAreIsolated() {
        Bundle other = bundleNamed("org.joinleaf.provider.api");
        BundleContext otherContext = other.getBundleContext();
        ServiceReference<Winsock> ref = otherContext.getServiceReference(Winsock.class);
        Winsock otherWs = otherContext.getService(ref);
        try {
            assertNotEquals("bundle-scoped: another bundle gets another instance", System.identityHashCode(ws),
                    System.identityHashCode(otherWs));
            startup(ws);
            // the other process never started
            assertFails(otherWs, WSANOTINITIALISED, otherWs.WSASocket(AF_INET, SOCK_STREAM, 0, null, 0, 0));
            startup(otherWs);
            SOCKET theirs = otherWs.WSASocket(AF_INET, SOCK_DGRAM, 0, null, 0, 0);
            assertNotEquals(SOCKET.INVALID_SOCKET, theirs);
            assertFails(ws, WSAENOTSOCK, ws.closesocket(theirs));
            assertEquals(0, otherWs.closesocket(theirs));
        } finally {
            cleanupAll(otherWs);
            otherContext.ungetService(ref);
        }
    }

    @Test
    public void shellCommandsRunWithoutConfigAdmin_onlyPinningWaitsForIt() throws Exception {
        // this framework has no Config Admin: the joinleaf: commands must still be there, pin/unpin must not
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (context.getServiceReference("org.joinleaf.runtime.shell.JoinleafCommands") == null
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue("joinleaf: commands registered",
                context.getServiceReference("org.joinleaf.runtime.shell.JoinleafCommands") != null);
        assertTrue("pin/unpin wait for Config Admin",
                context.getServiceReference("org.joinleaf.runtime.shell.PinCommands") == null);
    }

    private Bundle bundleNamed(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + bsn + " is not installed");
    }

    @Test
    public void defaultProviderCarriesRealUdpDatagrams() {
        startup(ws);
        SOCKET a = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, 0);
        SOCKET b = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, 0);
        assertEquals(0, ws.bind(b, SOCKADDR.of("127.0.0.1", 0), 16));
        SOCKADDR bAddr = new SOCKADDR();
        int[] len = {SOCKADDR.SIZEOF_SOCKADDR_IN};
        assertEquals(0, ws.getsockname(b, bAddr, len));
        byte[] hello = "hello".getBytes();
        assertEquals(hello.length, ws.sendto(a, hello, hello.length, 0, bAddr, 16));
        byte[] in = new byte[16];
        SOCKADDR from = new SOCKADDR();
        int[] fromlen = {SOCKADDR.SIZEOF_SOCKADDR_IN};
        assertEquals(5, ws.recvfrom(b, in, in.length, 0, from, fromlen)); // blocking socket waits for it
        assertEquals("hello", new String(in, 0, 5));
        SOCKADDR aAddr = new SOCKADDR();
        int[] alen = {SOCKADDR.SIZEOF_SOCKADDR_IN};
        assertEquals(0, ws.getsockname(a, aAddr, alen));
        assertEquals(aAddr.port, from.port);
        List<WSAPROTOCOL_INFO> all = protocols(ws);
        assertEquals(DEFAULT_ENTRIES.length, all.size());
    }
}
