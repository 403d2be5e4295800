package org.joinleaf.itests;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.itests.WinsockFixture.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CompletableFuture;
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
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Issue 3 item 7, hot swap: a gateway with only the default provider (joins fail with WSASYSCALLFAILURE), then
 * provider.tcp installed and started (new sockets join for real), stopped while leaves are joined and data flows
 * (every socket of it gets FD_CLOSE with WSAENETDOWN, no caller hangs, Netty threads are gone, new sockets fall back
 * to the default provider), then updated and started again (joins work).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TcpHotSwapIT extends InFramework {
    private static final String TCP = "joinleaf tcp multipoint [rooted]";

    @Configuration
    public Option[] config() {
        return new Option[] {JoinleafOptions.base(), JoinleafOptions.netty()};
    }

    private static long nettyThreads() {
        return tcpThreads().size();
    }

    /**
     * The provider's threads once a stop has returned: Netty completes an event loop's termination future just
     * before its thread exits, so each one still alive gets a bounded moment to end.
     */
    private static long nettyThreadsAfterStop() throws InterruptedException {
        for (Thread t : tcpThreads()) {
            t.join(2_000);
        }
        return nettyThreads();
    }

    /** A listening root with a leaf joined to it; returns {root, leaf, root's c_leaf}. */
    private SOCKET[] session() throws Exception {
        SOCKET r = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, ROOT);
        assertTrue("a tcp entry (with QoS while provider.qos runs): " + entryOf(ws, r), entryOf(ws, r).startsWith(TCP));
        assertEquals(0, ws.bind(r, SOCKADDR.of("127.0.0.1", 0), 16));
        SOCKADDR at = new SOCKADDR();
        assertEquals(0, ws.getsockname(r, at, new int[] {16}));
        assertEquals(0, ws.listen(r, 8));
        SOCKET l = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
        CompletableFuture<SOCKET> joined = CompletableFuture.supplyAsync(
                () -> ws.WSAJoinLeaf(l, at, 16, null, null, null, null, JL_BOTH));
        SOCKET c = ws.WSAAccept(r, null, null, ACCEPT_ALL, 0); // blocking: waits for the join request
        assertNotEquals(SOCKET.INVALID_SOCKET, c);
        assertEquals(l, joined.get(10, TimeUnit.SECONDS));
        return new SOCKET[] {r, l, c};
    }

    @Test
    public void hotSwap_defaultOnly_install_stopUnderLoad_fallBack_update_decisions12() throws Exception {
        startup(ws);
        SOCKADDR somewhere = SOCKADDR.of("127.0.0.1", 9);

        // 1. only the default provider: a multipoint TCP socket cannot even be made, a UDP leaf cannot join
        assertFails(ws, WSAEINVAL, ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF));
        SOCKET ce = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF);
        assertFails(ws, WSASYSCALLFAILURE, ws.WSAJoinLeaf(ce, somewhere, 16, null, null, null, null, JL_BOTH));
        long threadsBefore = nettyThreads();

        // 2. provider.tcp installed and started at runtime: new sockets join for real
        Bundle tcp = context.installBundle(JoinleafOptions.projectBundle("provider.tcp"));
        tcp.start();
        awaitEntry(ws, TCP, true);
        SOCKET[] s = session();
        assertEquals("plain TCP sockets stay with the default provider", "joinleaf default [TCP/IP]",
                entryOf(ws, ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, 0)));

        // 3. data flows; a reader blocks in recv; the bundle stops under it
        byte[] msg = "data".getBytes();
        assertEquals(4, ws.send(s[0], msg, 4, 0));
        byte[] in = new byte[16];
        assertEquals(4, ws.recv(s[1], in, in.length, 0));
        WSAEVENT ev = ws.WSACreateEvent();
        assertEquals(0, ws.WSAEventSelect(s[2], ev, FD_CLOSE));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> reader = pool.submit(() -> {
                byte[] buf = new byte[16];
                for (int i = 0; i < 1_000_000; i++) { // bounded: reads the flow until the first failure
                    if (ws.recv(s[1], buf, buf.length, 0) == SOCKET_ERROR) {
                        return ws.WSAGetLastError();
                    }
                }
                return 0;
            });
            Future<Integer> sender = pool.submit(() -> {
                for (int i = 0; i < 100_000; i++) { // bounded: ends at the first failure
                    if (ws.send(s[0], msg, 4, 0) == SOCKET_ERROR) {
                        return ws.WSAGetLastError();
                    }
                }
                return 0;
            });
            tcp.stop();
            assertEquals("a reader (blocked or reading) ends with WSAENETDOWN", Integer.valueOf(WSAENETDOWN),
                    reader.get(10, TimeUnit.SECONDS));
            int sent = sender.get(10, TimeUnit.SECONDS);
            assertTrue("the sender stops with WSAENETDOWN (or finished first): " + sent, sent == WSAENETDOWN || sent == 0);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(WSA_WAIT_EVENT_0, ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {ev}, false, 10_000, false));
        WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
        assertEquals(0, ws.WSAEnumNetworkEvents(s[2], ev, ne));
        assertEquals("FD_CLOSE with WSAENETDOWN", WSAENETDOWN, ne.iErrorCode[FD_CLOSE_BIT]);
        for (SOCKET x : s) {
            assertFails(ws, WSAENETDOWN, ws.send(x, msg, 4, 0));
            assertEquals(0, ws.closesocket(x));
        }
        assertEquals("Netty event loops end with the bundle", threadsBefore, nettyThreadsAfterStop());

        // 4. new sockets fall back to the default provider
        awaitEntry(ws, TCP, false);
        assertFails(ws, WSAEINVAL, ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF));

        // 5. updated and started again: joins work
        tcp.update();
        tcp.start();
        awaitEntry(ws, TCP, true);
        SOCKET[] again = session();
        assertEquals(4, ws.send(again[0], msg, 4, 0));
        assertEquals(4, ws.recv(again[1], in, in.length, 0));
        tcp.stop();
        assertEquals(threadsBefore, nettyThreadsAfterStop());
    }
}
