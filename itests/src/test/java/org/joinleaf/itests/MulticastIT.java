package org.joinleaf.itests;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.itests.WinsockFixture.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * provider.multicast in Felix beside the default and the in-JVM provider (issue 4): group H and the non-rooted rows
 * of B–E over real IP multicast, pinned to the loopback interface (the provider's default) with scope 0, so no
 * datagram can leave this host; and stopping the bundle closes only its own sockets.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class MulticastIT extends InFramework {
    private static final String MC = "joinleaf multicast [UDP/IP]";
    private static int nextPort = 41000 + (int) (ProcessHandle.current().pid() % 1000) * 10;

    @Configuration
    public Option[] config() {
        return new Option[] {JoinleafOptions.base(),
            CoreOptions.bundle(JoinleafOptions.projectBundle("provider.local")),
            CoreOptions.bundle(JoinleafOptions.projectBundle("provider.multicast"))};
    }

    @Before
    public void start() throws Exception {
        startup(ws);
        awaitEntry(ws, MC, true);
    }

    private static SOCKADDR group() {
        return SOCKADDR.of("239.255.77.1", nextPort++);
    }

    /** A member pinned to this host: scope (TTL) 0 before anything is sent. */
    private SOCKET member() {
        SOCKET s = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF);
        assertNotEquals(SOCKET.INVALID_SOCKET, s);
        assertEquals(0, ws.WSAIoctl(s, SIO_MULTICAST_SCOPE, new int[] {0}, 4, null, 0, new int[1]));
        return s;
    }

    /** Receives with a bounded wait; -1 when nothing arrived. */
    private int receiveWithin(SOCKET s, byte[] buf, long millis) {
        WSAEVENT ev = ws.WSACreateEvent();
        assertEquals(0, ws.WSAEventSelect(s, ev, FD_READ));
        ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {ev}, false, (int) millis, false);
        int n = ws.recv(s, buf, buf.length, 0);
        return n == SOCKET_ERROR ? -ws.WSAGetLastError() : n;
    }

    @Test
    public void b5_b6_b7_socketsGoToTheMulticastEntryAndOnlyLeafSocketsExist() {
        SOCKET s = member();
        assertEquals("B.5: highest-ranked SOCK_DGRAM entry", MC, entryOf(ws, s));
        assertFails(ws, WSAEINVAL, ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0,
                WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF)); // B.6
        assertFails(ws, WSAEINVAL, ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0,
                WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_ROOT)); // B.7
        // a stream socket still goes to the default provider
        assertEquals("joinleaf default [TCP/IP]", entryOf(ws, ws.WSASocket(AF_INET, SOCK_STREAM, 0, null, 0, 0)));
    }

    @Test
    public void c11_c12_c13_c18_argumentRulesOnTheMulticastEntry() {
        SOCKADDR g = group();
        // a plain UDP socket is passed on to the next UDP entry (the in-JVM provider's here), which refuses the join
        // of a socket made without multipoint flags (C.11, decisions 4)
        SOCKET plain = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, 0);
        assertEquals("joinleaf local multicast [non-rooted]", entryOf(ws, plain));
        assertFails(ws, WSAEINVAL, ws.WSAJoinLeaf(plain, g, 16, null, null, null, null, JL_BOTH)); // C.11
        SOCKET s = member();
        assertFails(ws, WSAEFAULT, ws.WSAJoinLeaf(s, g, 15, null, null, null, null, JL_BOTH)); // C.12
        assertFails(ws, WSAEADDRNOTAVAIL, ws.WSAJoinLeaf(s, SOCKADDR.any(AF_INET, g.port), 16, null, null, null, null, JL_BOTH)); // C.13
        assertFails(ws, WSAEINVAL, ws.WSAJoinLeaf(s, g, 16, null, null, null, null, 0)); // C.18
        assertFails(ws, WSAEINVAL, ws.WSAJoinLeaf(s, g, 16, null, null, null, null, 0x80));
        assertFails(ws, WSAEADDRNOTAVAIL, ws.WSAJoinLeaf(s, SOCKADDR.of("127.0.0.1", g.port), 16, null, null, null, null, JL_BOTH));
        assertFails(ws, WSAEAFNOSUPPORT, ws.WSAJoinLeaf(s, SOCKADDR.of("ff15::1", g.port), 28, null, null, null, null, JL_BOTH));
    }

    @Test
    public void d19_e23_e24_e27_joinsBindImplicitlyAndReportFdConnect() {
        SOCKADDR g = group();
        SOCKET blocking = member();
        assertEquals("D.19: returns s", blocking, ws.WSAJoinLeaf(blocking, g, 16, null, null, null, null, JL_BOTH));
        SOCKADDR local = new SOCKADDR();
        int[] len = {16};
        assertEquals(0, ws.getsockname(blocking, local, len));
        assertEquals("R10: implicitly bound to the group's port", g.port, local.port);
        assertFails(ws, WSAEISCONN, ws.WSAJoinLeaf(blocking, g, 16, null, null, null, null, JL_BOTH)); // E.27

        SOCKET nb = member();
        WSAEVENT ev = ws.WSACreateEvent();
        assertEquals(0, ws.WSAEventSelect(nb, ev, FD_CONNECT));
        ws.WSASetLastError(0);
        assertEquals(nb, ws.WSAJoinLeaf(nb, g, 16, null, null, null, null, JL_BOTH)); // E.23
        assertNotEquals(WSAEWOULDBLOCK, ws.WSAGetLastError());
        assertEquals(WSA_WAIT_EVENT_0, ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {ev}, false, 10_000, false));
        WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
        assertEquals(0, ws.WSAEnumNetworkEvents(nb, ev, ne));
        assertTrue((ne.lNetworkEvents & FD_CONNECT) != 0);
        assertEquals("E.24", 0, ne.iErrorCode[FD_CONNECT_BIT]);
    }

    @Test
    public void h42_h43_h44_deliveryLoopbackSenderOnlyAndScopeZero() {
        SOCKADDR g = group();
        SOCKET a = member();
        SOCKET b = member();
        SOCKET c = member();
        assertEquals(a, ws.WSAJoinLeaf(a, g, 16, null, null, null, null, JL_BOTH));
        assertEquals(b, ws.WSAJoinLeaf(b, g, 16, null, null, null, null, JL_BOTH));
        assertEquals(c, ws.WSAJoinLeaf(c, g, 16, null, null, null, null, JL_SENDER_ONLY));
        Assume.assumeTrue("IPv4 multicast on the loopback interface works here",
                ws.sendto(a, new byte[] {1}, 1, 0, g, 16) == 1 && receiveWithin(b, new byte[8], 2000) == 1);
        byte[] in = new byte[8];
        assertEquals("H.42: loopback on by default, A hears itself", 1, receiveWithin(a, in, 2000));

        assertEquals(0, ws.WSAIoctl(a, SIO_MULTIPOINT_LOOPBACK, new int[] {0}, 4, null, 0, new int[1]));
        assertEquals(1, ws.sendto(a, new byte[] {2}, 1, 0, g, 16));
        assertEquals("H.42/H.44: B on this host receives at scope 0", 1, receiveWithin(b, in, 2000));
        assertEquals(2, in[0]);
        assertEquals("H.42: loopback off, A does not", -WSAEWOULDBLOCK, receiveWithin(a, in, 300));
        // H.43: the sender-only member is not subscribed, and may not receive (decisions 6)
        assertFails(ws, WSAESHUTDOWN, ws.recv(c, in, in.length, 0));
        assertEquals(1, ws.sendto(c, new byte[] {3}, 1, 0, g, 16));
        assertEquals("a sender-only member still sends", 1, receiveWithin(b, in, 2000));
    }

    @Test
    public void stoppingTheBundleClosesOnlyItsOwnSockets_decisions12() throws Exception {
        SOCKET mc = member();
        assertEquals(mc, ws.WSAJoinLeaf(mc, group(), 16, null, null, null, null, JL_RECEIVER_ONLY));
        SOCKET local = ws.WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
                entryNamed(ws, "joinleaf local multipoint [rooted]"), 0, WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT);
        SOCKET tcp = ws.WSASocket(AF_INET, SOCK_STREAM, 0, null, 0, 0);
        WSAEVENT ev = ws.WSACreateEvent();
        assertEquals(0, ws.WSAEventSelect(mc, ev, FD_CLOSE));
        WSAEVENT other = ws.WSACreateEvent();
        assertEquals(0, ws.WSAEventSelect(local, other, FD_CLOSE));
        assertEquals(0, ws.WSAEventSelect(tcp, other, FD_CLOSE));

        Bundle multicast = null;
        for (Bundle b : context.getBundles()) {
            if ("org.joinleaf.provider.multicast".equals(b.getSymbolicName())) {
                multicast = b;
            }
        }
        multicast.stop();
        assertEquals(WSA_WAIT_EVENT_0, ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {ev}, false, 10_000, false));
        WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
        assertEquals(0, ws.WSAEnumNetworkEvents(mc, ev, ne));
        assertEquals(WSAENETDOWN, ne.iErrorCode[FD_CLOSE_BIT]);
        assertFails(ws, WSAENETDOWN, ws.recv(mc, new byte[4], 4, 0));
        // the other providers' sockets are untouched
        assertEquals(WSA_WAIT_TIMEOUT, ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {other}, false, 200, false));
        assertEquals("the in-JVM provider's socket still works", 0, ws.bind(local, SOCKADDR.of("127.0.0.1", 0), 16));
        assertEquals(0, ws.listen(local, 4));
        assertEquals("new datagram sockets fall back to the next provider", "joinleaf local multicast [non-rooted]",
                entryOf(ws, ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF)));
    }
}
