package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.Future;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.junit.Test;

/**
 * Conformance E: a non-blocking join returns its descriptor at once and reports through {@code FD_CONNECT} on the
 * original socket (§3 R14–R18, R20, R22, R25, §4, decisions 7).
 */
public class NonBlockingJoinTest extends ScriptedRuntimeTest {

    @Test
    public void e23_eventSelectedJoinReturnsDescriptorNotWouldBlock_R14() {
        SOCKET s = npLeaf();
        select(s, FD_CONNECT);
        ws.WSASetLastError(0);
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        assertNotEquals(WSAEWOULDBLOCK, ws.WSAGetLastError());
        assertTrue("the join is under way at the provider", np.lastSocket().calls().contains("join"));
    }

    @Test
    public void e24_successIsFdConnectWithNoError_R15() throws Exception {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_CONNECT | FD_READ);
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        assertFalse("nothing is reported while the join is pending", isSignalled(e));

        Future<Outcome<Integer>> waiter = inBackground(() ->
                ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {e}, false, 10_000, false));
        np.lastJoin().complete(null);
        assertEquals(WSA_WAIT_EVENT_0, (int) result(waiter).value);

        WSANETWORKEVENTS ne = events(s, e);
        assertEquals(FD_CONNECT, ne.lNetworkEvents);
        assertEquals(0, ne.iErrorCode[FD_CONNECT_BIT]);
        assertFalse("WSAEnumNetworkEvents reset the event", isSignalled(e));
    }

    @Test
    public void e25_refusalIsFdConnectWithConnRefused_R15_decisions8() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_CONNECT);
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        np.lastJoin().fail(WSAECONNREFUSED);
        WSANETWORKEVENTS ne = events(s, e);
        assertEquals(FD_CONNECT, ne.lNetworkEvents);
        assertEquals(WSAECONNREFUSED, ne.iErrorCode[FD_CONNECT_BIT]);
    }

    @Test
    public void e25_retryAfterRefusalReportsFdConnectAgain_R15_R22() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_CONNECT);
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        np.lastJoin().fail(WSAECONNREFUSED);
        assertEquals(WSAECONNREFUSED, events(s, e).iErrorCode[FD_CONNECT_BIT]);

        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        np.lastJoin().complete(null);
        WSANETWORKEVENTS ne = events(s, e);
        assertEquals("the retried join must report its own completion", FD_CONNECT, ne.lNetworkEvents);
        assertEquals(0, ne.iErrorCode[FD_CONNECT_BIT]);
    }

    @Test
    public void e26_secondJoinWhilePendingIsAlready_R18() {
        SOCKET s = npLeaf();
        select(s, FD_CONNECT);
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        assertJoinFails(WSAEALREADY, s, GROUP, IN_LEN, null, JL_BOTH);
    }

    @Test
    public void e27_joinAfterSuccessIsIsConn_R20() {
        SOCKET s = npLeaf();
        select(s, FD_CONNECT);
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        np.lastJoin().complete(null);
        assertJoinFails(WSAEISCONN, s, GROUP, IN_LEN, null, JL_BOTH);
    }

    @Test
    public void e28_calleeDataIsWrittenOnlyOnCompletion_R17_R30() {
        SOCKET s = rrLeaf();
        WSAEVENT e = select(s, FD_CONNECT);
        WSABUF callee = WSABUF.allocate(4);
        assertEquals(s, join(s, GROUP, null, callee, JL_BOTH));
        assertEquals("untouched while pending", 4, callee.len);
        assertArrayEquals(new byte[4], callee.buf);

        rr.lastJoin().complete(new byte[] {5, 6});
        assertEquals(FD_CONNECT, events(s, e).lNetworkEvents);
        assertEquals(2, callee.len);
        assertArrayEquals(new byte[] {5, 6}, callee.toBytes());
    }

    @Test
    public void e29_fionbioOnlyJoinReturnsAtOnce_R14_R16() {
        SOCKET s = nonBlocking(npLeaf());
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        assertJoinFails(WSAEALREADY, s, GROUP, IN_LEN, null, JL_BOTH);
        np.lastJoin().complete(null);
        assertJoinFails(WSAEISCONN, s, GROUP, IN_LEN, null, JL_BOTH);
    }

    @Test
    public void e30_backToBlockingWhileEventSelectIsActiveIsInvalid_s30() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_READ);
        assertFails(WSAEINVAL, ws.ioctlsocket(s, FIONBIO, new int[] {0}));
        assertOk(ws.WSAEventSelect(s, e, 0));
        assertOk(ws.ioctlsocket(s, FIONBIO, new int[] {0}));
    }

    @Test
    public void e31_everyCallButCloseOnAPendingDescriptorIsNotConn_R25_decisions7() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_CONNECT);
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        assertEveryCallIsNotConn(s, e);
    }

    @Test
    public void eventsRecordedWhileTheJoinIsPendingCanBeRead_decisions20() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_CONNECT | FD_QOS);
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        np.lastSocket().post(FD_QOS_BIT, WSA_QOS_REQUEST_CONFIRMED); // before the join completes
        assertTrue(isSignalled(e));
        WSANETWORKEVENTS ne = events(s, e); // not WSAENOTCONN: a wait loop must be able to reset its event
        assertEquals(FD_QOS, ne.lNetworkEvents);
        assertEquals(WSA_QOS_REQUEST_CONFIRMED, ne.iErrorCode[FD_QOS_BIT]);
        assertFalse(isSignalled(e));
        assertFails(WSAENOTCONN, ws.send(s, new byte[1], 1, 0)); // every other call still waits for the join

        np.lastJoin().complete(null);
        assertEquals(FD_CONNECT, events(s, e).lNetworkEvents);
    }

    @Test
    public void r25_closesocketCancelsAPendingJoin_R25_decisions7() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_CONNECT | FD_CLOSE);
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        ScriptedProvider.Join j = np.lastJoin();
        assertOk(ws.closesocket(s));
        assertEquals("the provider was told to cancel", 1, j.socket.closes());

        j.complete(null); // the provider lost the race: ignored
        j.socket.post(FD_CLOSE_BIT, 0);
        assertFalse("no FD_CONNECT after a cancelled join", isSignalled(e));
        assertFails(WSAENOTSOCK, ws.WSAEnumNetworkEvents(s, e, new WSANETWORKEVENTS()));
        assertTrue("the event object outlives the socket", ws.WSASetEvent(e));
    }

    @Test
    public void r25_closesocketWakesABlockingJoin_R25() throws Exception {
        SOCKET s = npLeaf();
        Future<Outcome<SOCKET>> call = inBackground(() -> join(s, GROUP, null, null, JL_BOTH));
        ScriptedProvider.Join j = np.nextJoin();
        assertOk(ws.closesocket(s));
        Outcome<SOCKET> o = result(call);
        assertEquals(SOCKET.INVALID_SOCKET, o.value);
        assertEquals(1, j.socket.closes());
        j.complete(null);
    }

    @Test
    public void successfulJoinAlsoReportsFdWriteUnlessReceiverOnly_s4() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_CONNECT | FD_WRITE);
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        np.lastJoin().complete(null);
        assertEquals(FD_CONNECT | FD_WRITE, events(s, e).lNetworkEvents);

        SOCKET receiver = npLeaf();
        WSAEVENT e2 = select(receiver, FD_CONNECT | FD_WRITE);
        assertEquals(receiver, join(receiver, GROUP, null, null, JL_RECEIVER_ONLY));
        np.lastJoin().complete(null);
        assertEquals(FD_CONNECT, events(receiver, e2).lNetworkEvents);
    }

    /** §4 contrast: unlike a join, a non-blocking WSAConnect says WSAEWOULDBLOCK, then FD_CONNECT. */
    @Test
    public void nonBlockingConnectIsWouldBlockThenFdConnect_s4() {
        SOCKET s = socket(AF_INET, RR_TYPE, 0, 0);
        WSAEVENT e = select(s, FD_CONNECT);
        WSABUF callee = WSABUF.allocate(4);
        assertFails(WSAEWOULDBLOCK, ws.WSAConnect(s, GROUP, IN_LEN, WSABUF.of(new byte[] {1}), callee, null, null));
        assertFails(WSAEALREADY, ws.WSAConnect(s, GROUP, IN_LEN, null, null, null, null));
        rr.lastJoin().complete(new byte[] {4});
        WSANETWORKEVENTS ne = events(s, e);
        assertEquals(FD_CONNECT, ne.lNetworkEvents);
        assertEquals(0, ne.iErrorCode[FD_CONNECT_BIT]);
        assertEquals(1, callee.len);
        assertFails(WSAEISCONN, ws.WSAConnect(s, GROUP, IN_LEN, null, null, null, null));
    }
}
