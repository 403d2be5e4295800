package org.joinleaf.itests;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.itests.WinsockFixture.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * A provider bundle installed, stopped, started and updated at runtime (decisions 12, conformance L.55, M.56): new
 * sockets go to the best provider now, a socket stays with its provider, and when that provider leaves each of its
 * sockets gets FD_CLOSE with WSAENETDOWN and nothing hangs. A fresh framework per method: each test swaps.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotSwapIT extends InFramework {
    private static final String LOCAL_NP = "joinleaf local multicast [non-rooted]";
    private static final String DEFAULT_UDP = "joinleaf default [UDP/IP]";

    @Configuration
    public Option[] config() {
        return new Option[] {JoinleafOptions.base()};
    }

    private Bundle installLocalProvider() throws Exception {
        Bundle b = context.installBundle(JoinleafOptions.projectBundle("provider.local"));
        b.start();
        awaitEntry(ws, LOCAL_NP, true);
        return b;
    }

    @Test
    public void l55_m56_providerInstalledAtRuntimeTakesNewSocketsAndFallsBackWhenStopped_decisions12() throws Exception {
        startup(ws);
        SOCKADDR group = SOCKADDR.of("239.255.7.7", 7000);

        // only the default provider: the join fails as on Windows CE
        SOCKET before = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF);
        assertEquals(DEFAULT_UDP, entryOf(ws, before));
        assertFails(ws, WSASYSCALLFAILURE, ws.WSAJoinLeaf(before, group, 16, null, null, null, null, JL_BOTH));

        // installed after WSAStartup: visible in the same session (M.56, live catalog), new sockets go to it
        Bundle local = installLocalProvider();
        SOCKET a = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF);
        SOCKET b = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF);
        assertEquals(LOCAL_NP, entryOf(ws, a));
        assertEquals(a, ws.WSAJoinLeaf(a, group, 16, null, null, null, null, JL_BOTH));
        assertEquals(b, ws.WSAJoinLeaf(b, group, 16, null, null, null, null, JL_BOTH));
        // the old socket stays with the provider that created it (L.55)
        assertEquals(DEFAULT_UDP, entryOf(ws, before));
        assertFails(ws, WSASYSCALLFAILURE, ws.WSAJoinLeaf(before, group, 16, null, null, null, null, JL_BOTH));

        byte[] msg = "ping".getBytes();
        assertEquals(4, ws.sendto(a, msg, 4, 0, group, 16));
        byte[] in = new byte[16];
        assertEquals(4, ws.recv(b, in, in.length, 0));

        // b waits in a blocking recv while the provider is stopped: it must wake with WSAENETDOWN
        WSAEVENT ev = ws.WSACreateEvent();
        assertEquals(0, ws.WSAEventSelect(a, ev, FD_CLOSE | FD_READ));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> blocked = pool.submit(() -> {
                int n = ws.recv(b, new byte[16], 16, 0);
                return n == SOCKET_ERROR ? ws.WSAGetLastError() : n;
            });
            local.stop();
            assertEquals("a blocked caller wakes with WSAENETDOWN", Integer.valueOf(WSAENETDOWN), blocked.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }

        // FD_CLOSE with WSAENETDOWN, once; later calls fail with WSAENETDOWN
        assertEquals(WSA_WAIT_EVENT_0, ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {ev}, false, 10_000, false));
        WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
        assertEquals(0, ws.WSAEnumNetworkEvents(a, ev, ne));
        assertTrue("FD_CLOSE recorded: " + ne, (ne.lNetworkEvents & FD_CLOSE) != 0);
        assertEquals(WSAENETDOWN, ne.iErrorCode[FD_CLOSE_BIT]);
        assertFails(ws, WSAENETDOWN, ws.send(a, msg, 4, 0));
        assertEquals("closesocket still works", 0, ws.closesocket(a));

        // new sockets fall back to the default provider
        awaitEntry(ws, LOCAL_NP, false);
        SOCKET after = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF);
        assertEquals(DEFAULT_UDP, entryOf(ws, after));

        // update and start again: joins work
        local.update();
        local.start();
        awaitEntry(ws, LOCAL_NP, true);
        SOCKET again = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF);
        assertEquals(LOCAL_NP, entryOf(ws, again));
        assertNotEquals(SOCKET.INVALID_SOCKET, ws.WSAJoinLeaf(again, group, 16, null, null, null, null, JL_BOTH));
    }

    @Test
    public void l55_defaultSocketsKeepFailingJoinsWhileThirdPartySocketsJoin() throws Exception {
        startup(ws);
        installLocalProvider();
        SOCKADDR group = SOCKADDR.of("239.255.7.8", 7001);
        WSAPROTOCOL_INFO defaultUdp = entryNamed(ws, DEFAULT_UDP);
        SOCKET def = ws.WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, defaultUdp, 0, LEAF);
        SOCKET np = ws.WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, entryNamed(ws, LOCAL_NP), 0, LEAF);
        assertFails(ws, WSASYSCALLFAILURE, ws.WSAJoinLeaf(def, group, 16, null, null, null, null, JL_BOTH));
        assertEquals(np, ws.WSAJoinLeaf(np, group, 16, null, null, null, null, JL_BOTH));
    }
}
