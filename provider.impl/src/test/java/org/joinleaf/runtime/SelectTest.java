package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.FD_SET;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.TIMEVAL;
import org.junit.Test;

/**
 * Issue 13, deliverable 1: select with fd_set over the default provider on loopback. Readable: a datagram queued,
 * a request in a listener's backlog; writable: connectionless or connected; except: a failed non-blocking connect.
 * A select blocked without timeout wakes when data arrives. Errors: WSAEINVAL (no descriptor, negative timeout),
 * WSAENOTSOCK (a closed socket in a set), WSANOTINITIALISED.
 */
public class SelectTest extends LoopbackRuntimeTest {
    private static final TIMEVAL POLL = new TIMEVAL(0, 0);
    private static final TIMEVAL BOUND = new TIMEVAL((int) ScriptedProvider.WAIT_SECONDS, 0);

    private static FD_SET setOf(SOCKET... sockets) {
        FD_SET set = new FD_SET();
        FD_ZERO(set);
        for (SOCKET s : sockets) {
            FD_SET(s, set);
        }
        return set;
    }

    @Test
    public void aQueuedDatagramMakesTheSocketReadable() {
        SOCKADDR rAddr = new SOCKADDR();
        SOCKET r = boundUdp(rAddr);
        FD_SET read = setOf(r);
        assertEquals("nothing queued yet", 0, ws.select(0, read, null, null, POLL));
        assertEquals(0, read.fd_count);
        SOCKET s = udp();
        assertEquals(1, ws.sendto(s, new byte[] {1}, 1, 0, rAddr, IN_LEN));
        read = setOf(r, s);
        assertEquals(1, ws.select(0, read, null, null, BOUND));
        assertTrue(FD_ISSET(r, read));
        assertFalse(FD_ISSET(s, read));
    }

    @Test
    public void aBlockedSelectWakesWhenADatagramArrives() throws Exception {
        SOCKADDR rAddr = new SOCKADDR();
        SOCKET r = boundUdp(rAddr);
        FD_SET read = setOf(r);
        Future<Integer> selected = background.submit(() -> ws.select(0, read, null, null, null));
        SOCKET s = udp();
        assertEquals(1, ws.sendto(s, new byte[] {1}, 1, 0, rAddr, IN_LEN));
        assertEquals(1, (int) selected.get(ScriptedProvider.WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(FD_ISSET(r, read));
    }

    @Test
    public void datagramSocketsAreWritableAndAListenerWithARequestReadable() {
        SOCKET u = udp();
        FD_SET write = setOf(u);
        assertEquals(1, ws.select(0, null, write, null, POLL));
        SOCKET listener = tcp();
        assertOk(ws.bind(listener, SOCKADDR.of("127.0.0.1", 0), IN_LEN));
        assertOk(ws.listen(listener, 4));
        SOCKADDR at = new SOCKADDR();
        assertOk(ws.getsockname(listener, at, new int[] {IN_LEN}));
        SOCKET client = tcp();
        FD_SET notYet = setOf(client);
        assertEquals("an unconnected stream socket is not writable", 0, ws.select(0, null, notYet, null, POLL));
        assertOk(ws.connect(client, at, IN_LEN));
        FD_SET read = setOf(listener);
        assertEquals(1, ws.select(0, read, null, null, BOUND));
        SOCKET accepted = ws.accept(listener, new SOCKADDR(), new int[] {IN_LEN});
        assertNotEquals(SOCKET.INVALID_SOCKET, accepted);
        FD_SET both = setOf(client, accepted);
        assertEquals(2, ws.select(0, null, both, null, POLL));
    }

    @Test
    public void aFailedNonBlockingConnectIsInExceptfds() {
        SOCKET closedPort = tcp(); // bound, never listening: connecting to it is refused
        assertOk(ws.bind(closedPort, SOCKADDR.of("127.0.0.1", 0), IN_LEN));
        SOCKADDR at = new SOCKADDR();
        assertOk(ws.getsockname(closedPort, at, new int[] {IN_LEN}));
        SOCKET client = tcp();
        assertOk(ws.ioctlsocket(client, FIONBIO, new int[] {1}));
        assertFails(WSAEWOULDBLOCK, ws.connect(client, at, IN_LEN));
        FD_SET except = setOf(client);
        FD_SET write = setOf(client);
        assertEquals(1, ws.select(0, null, write, except, BOUND));
        assertTrue(FD_ISSET(client, except));
        assertEquals(0, write.fd_count);
    }

    @Test
    public void theDocumentedErrors() {
        SOCKET u = udp();
        assertFails(WSAEINVAL, ws.select(0, null, null, null, POLL));
        assertFails(WSAEINVAL, ws.select(0, new FD_SET(), new FD_SET(), null, POLL));
        assertFails(WSAEINVAL, ws.select(0, setOf(u), null, null, new TIMEVAL(-1, 0)));
        SOCKET closed = udp();
        assertOk(ws.closesocket(closed));
        assertFails(WSAENOTSOCK, ws.select(0, setOf(u, closed), null, null, POLL));
        assertOk(ws.WSACleanup());
        assertFails(WSANOTINITIALISED, ws.select(0, setOf(u), null, null, POLL));
    }

    @Test
    public void theFdSetMacrosBehaveAsInC() {
        SOCKET a = udp();
        SOCKET b = udp();
        FD_SET set = setOf(a, b, a);
        assertEquals("FD_SET does not add twice", 2, set.fd_count);
        FD_CLR(a, set);
        assertFalse(FD_ISSET(a, set));
        assertTrue(FD_ISSET(b, set));
        FD_ZERO(set);
        assertEquals(0, set.fd_count);
    }
}
