package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.Future;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.junit.Test;

/**
 * §4: the event record and its re-arming rules, WSAEnumNetworkEvents, event objects and WSAWaitForMultipleEvents,
 * and the JL direction rule (decisions 6).
 */
public class EventRecordTest extends ScriptedRuntimeTest {

    @Test
    public void fdReadIsRecordedOnceUntilRecvReArmsIt_s4() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_READ);
        ScriptedProvider.ScriptedSocket t = np.lastSocket();
        t.deliver(new byte[] {1});
        t.deliver(new byte[] {2, 2});
        assertEquals(FD_READ, events(s, e).lNetworkEvents);

        t.deliver(new byte[] {3});
        assertEquals("not re-armed before a receive", 0, events(s, e).lNetworkEvents);
        assertFalse(isSignalled(e));

        byte[] buf = new byte[8];
        assertEquals(1, ws.recv(s, buf, buf.length, 0));
        assertEquals("data still queued is reported again after the receive", FD_READ, events(s, e).lNetworkEvents);
        assertEquals(2, ws.recv(s, buf, buf.length, 0));
        assertEquals(1, ws.recv(s, buf, buf.length, 0));
        events(s, e);
        assertFails(WSAEWOULDBLOCK, ws.recv(s, buf, buf.length, 0));
        assertEquals(0, events(s, e).lNetworkEvents);
        t.deliver(new byte[] {4});
        assertEquals(FD_READ, events(s, e).lNetworkEvents);
    }

    @Test // decisions 31: recv looks at the queue before it re-arms FD_READ (one lock); a message whose post came
    // between the look and the re-arm (so FD_READ was still disarmed and the post recorded nothing) is still reported
    public void messageArrivingBetweenTheLookAndTheReArmIsReported_decisions31() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_READ);
        ScriptedProvider.ScriptedSocket t = np.lastSocket();
        t.deliver(new byte[] {1});
        assertEquals(FD_READ, events(s, e).lNetworkEvents); // read: FD_READ stays disarmed until a receive
        t.afterNextLook(() -> t.deliver(new byte[] {2})); // the look saw an empty queue, then {2} came and posted
        byte[] buf = new byte[8];
        assertEquals(1, ws.recv(s, buf, buf.length, 0));
        assertEquals("the message that came during the receive's look is reported", FD_READ,
                events(s, e).lNetworkEvents);
        assertEquals(1, ws.recv(s, buf, buf.length, 0));
        assertEquals(2, buf[0]);
    }

    @Test
    public void fdCloseIsRecordedOnce_s4() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_CLOSE);
        ScriptedProvider.ScriptedSocket t = np.lastSocket();
        t.post(FD_CLOSE_BIT, WSAECONNABORTED);
        t.post(FD_CLOSE_BIT, 0);
        WSANETWORKEVENTS ne = events(s, e);
        assertEquals(FD_CLOSE, ne.lNetworkEvents);
        assertEquals(WSAECONNABORTED, ne.iErrorCode[FD_CLOSE_BIT]);
        t.post(FD_CLOSE_BIT, 0);
        assertEquals(0, events(s, e).lNetworkEvents);
    }

    @Test
    public void fdCloseRecordedButClearedByReselectingIsRecordedAgain_reportedOnceMeansReadOnce_s4() {
        // an accepted socket inherits the listener's selection; its close lands there before the application
        // re-selects it on its own event object, which clears the record: the close must not be lost
        SOCKET s = npLeaf();
        WSAEVENT inherited = select(s, FD_CLOSE | FD_READ);
        np.lastSocket().post(FD_CLOSE_BIT, WSAECONNRESET);
        WSAEVENT own = select(s, FD_CLOSE);
        assertTrue("recorded again at registration", isSignalled(own));
        WSANETWORKEVENTS ne = events(s, own);
        assertEquals(FD_CLOSE, ne.lNetworkEvents);
        assertEquals(WSAECONNRESET, ne.iErrorCode[FD_CLOSE_BIT]);
        // once read, never again, even after another re-selection
        select(s, FD_CLOSE);
        assertEquals(0, events(s, own).lNetworkEvents);
        assertTrue(inherited != own);
    }

    @Test
    public void fdConnectIsRecordedOncePerJoin_R15_s4() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_CONNECT);
        join(s, GROUP, null, null, JL_BOTH);
        ScriptedProvider.Join j = np.lastJoin();
        j.complete(null);
        j.fail(WSAETIMEDOUT); // a second completion is ignored
        WSANETWORKEVENTS ne = events(s, e);
        assertEquals(FD_CONNECT, ne.lNetworkEvents);
        assertEquals(0, ne.iErrorCode[FD_CONNECT_BIT]);
        assertEquals(0, events(s, e).lNetworkEvents);
    }

    @Test
    public void eventsBeforeRegistrationAreRecordedAtRegistration_s4() {
        SOCKET s = npLeaf();
        ScriptedProvider.ScriptedSocket t = np.lastSocket();
        t.deliver(new byte[] {1});
        t.post(FD_CLOSE_BIT, WSAECONNRESET);
        WSAEVENT e = select(s, FD_READ | FD_CLOSE);
        assertTrue(isSignalled(e));
        WSANETWORKEVENTS ne = events(s, e);
        assertEquals(FD_READ | FD_CLOSE, ne.lNetworkEvents);
        assertEquals(WSAECONNRESET, ne.iErrorCode[FD_CLOSE_BIT]);
    }

    @Test
    public void enumCopiesClearsAndResets_andNothingIsClearedWhenItFails_s4() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_READ | FD_CLOSE);
        np.lastSocket().deliver(new byte[] {1});
        WSAEVENT closed = ws.WSACreateEvent();
        assertTrue(ws.WSACloseEvent(closed));
        assertFails(WSA_INVALID_HANDLE, ws.WSAEnumNetworkEvents(s, closed, new WSANETWORKEVENTS()));
        assertFails(WSAEFAULT, ws.WSAEnumNetworkEvents(s, e, null));

        WSANETWORKEVENTS noReset = events(s, null);
        assertEquals("the failed calls cleared nothing", FD_READ, noReset.lNetworkEvents);
        assertTrue("no event object given: not reset", isSignalled(e));
        assertEquals(0, events(s, e).lNetworkEvents);
        assertFalse(isSignalled(e));
    }

    @Test
    public void onlyTheSlotsOfReportedEventsAreWritten_s4() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_READ | FD_CLOSE);
        np.lastSocket().deliver(new byte[] {1});
        WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
        ne.iErrorCode[FD_CLOSE_BIT] = 12345;
        assertOk(ws.WSAEnumNetworkEvents(s, e, ne));
        assertEquals(12345, ne.iErrorCode[FD_CLOSE_BIT]);
    }

    @Test
    public void newSelectionReplacesTheOldAndClearsTheRecord_s4() {
        SOCKET s = npLeaf();
        WSAEVENT first = select(s, FD_READ);
        np.lastSocket().deliver(new byte[] {1});
        ws.WSAResetEvent(first);
        WSAEVENT second = ws.WSACreateEvent();
        assertOk(ws.WSAEventSelect(s, second, FD_CLOSE));
        np.lastSocket().post(FD_CLOSE_BIT, 0);
        np.lastSocket().deliver(new byte[] {2});
        assertFalse("the old event object is no longer used", isSignalled(first));
        assertEquals("FD_READ is no longer selected", FD_CLOSE, events(s, second).lNetworkEvents);
    }

    // ---- FD_ACCEPT and WSAAccept ----

    @Test
    public void fdAcceptIsReArmedByAcceptButNotByDefer_s4() {
        SOCKET root = rrRoot();
        WSAEVENT e = select(root, FD_ACCEPT);
        assertOk(ws.listen(root, 5));
        ScriptedProvider.ScriptedSocket t = rr.lastSocket();
        t.queue(LEAF_A, null, null, 0);
        t.queue(LEAF_B, null, null, 0);
        assertEquals(FD_ACCEPT, events(root, e).lNetworkEvents);

        int[] seen = new int[1];
        assertFails(WSATRY_AGAIN, ws.WSAAccept(root, null, null, (id, data, sq, gq, cid, cdata, g, cb) -> {
            seen[0]++;
            return CF_DEFER;
        }, 0));
        assertEquals(1, seen[0]);
        t.queue(LEAF_B, null, null, 0);
        assertEquals("CF_DEFER does not re-enable FD_ACCEPT", 0, events(root, e).lNetworkEvents);

        SOCKET accepted = ws.WSAAccept(root, null, null, (id, data, sq, gq, cid, cdata, g, cb) -> CF_ACCEPT, 0);
        assertNotEquals(SOCKET.INVALID_SOCKET, accepted);
        assertEquals("accept re-armed FD_ACCEPT and requests are still queued", FD_ACCEPT,
                events(root, e).lNetworkEvents);
    }

    @Test
    public void deferredRequestStaysAtTheHead_s4() {
        SOCKET root = rrRoot();
        select(root, FD_ACCEPT);
        assertOk(ws.listen(root, 5));
        ScriptedProvider.ScriptedRequest first = rr.lastSocket().queue(LEAF_A, null, null, 0);
        rr.lastSocket().queue(LEAF_B, null, null, 0);
        assertFails(WSATRY_AGAIN, ws.WSAAccept(root, null, null, (id, d, s, g, c, cd, gg, cb) -> CF_DEFER, 0));
        assertNotEquals(SOCKET.INVALID_SOCKET, ws.accept(root, null, null));
        assertArrayEquals(new byte[0], first.acceptedWith());
    }

    @Test
    public void rejectIsConnRefusedAndTheProviderRejects_s4_s40() {
        SOCKET root = rrRoot();
        select(root, FD_ACCEPT);
        assertOk(ws.listen(root, 5));
        ScriptedProvider.ScriptedRequest request = rr.lastSocket().queue(LEAF_A, null, null, 0);
        assertFails(WSAECONNREFUSED, ws.WSAAccept(root, null, null, (id, d, s, g, c, cd, gg, cb) -> CF_REJECT, 0));
        assertTrue(request.rejected());
        assertNull(request.accepted());
        assertFails(WSAEWOULDBLOCK, ws.accept(root, null, null));
    }

    @Test
    public void unknownConditionResultIsInvalid_s4() {
        SOCKET root = rrRoot();
        select(root, FD_ACCEPT);
        assertOk(ws.listen(root, 5));
        ScriptedProvider.ScriptedRequest request = rr.lastSocket().queue(LEAF_A, null, null, 0);
        assertFails(WSAEINVAL, ws.WSAAccept(root, null, null, (id, d, s, g, c, cd, gg, cb) -> 7, 0));
        assertFalse(request.rejected());
        assertNull(request.accepted());
    }

    @Test
    public void blockingAcceptWaitsForARequest_s4() throws Exception {
        SOCKET root = rrRoot();
        assertOk(ws.listen(root, 5));
        ScriptedProvider.ScriptedSocket t = rr.lastSocket();
        Future<Outcome<SOCKET>> accept = inBackground(() -> ws.accept(root, null, null));
        assertFalse(accept.isDone());
        ScriptedProvider.ScriptedRequest request = t.queue(LEAF_A, null, null, 0);
        Outcome<SOCKET> o = result(accept);
        assertNotEquals("accept failed with " + o.lastError, SOCKET.INVALID_SOCKET, o.value);
        assertNotEquals(root, o.value);
        assertArrayEquals(new byte[0], request.acceptedWith());
    }

    @Test
    public void withdrawnCallerIsConnResetAndTheNextRequestIsReported_s4() {
        SOCKET root = rrRoot();
        WSAEVENT e = select(root, FD_ACCEPT);
        assertOk(ws.listen(root, 5));
        int before = ws.socketCount();
        ScriptedProvider.ScriptedRequest gone = rr.lastSocket().queue(LEAF_A, null, null, 0);
        rr.lastSocket().queue(LEAF_B, null, null, 0);
        assertEquals(FD_ACCEPT, events(root, e).lNetworkEvents);
        gone.withdraw();
        assertFails(WSAECONNRESET, ws.accept(root, null, null));
        assertEquals("no descriptor is left for the withdrawn caller", before, ws.socketCount());
        assertEquals("FD_ACCEPT re-armed for the request still queued", FD_ACCEPT, events(root, e).lNetworkEvents);
        SOCKADDR from = new SOCKADDR();
        assertNotEquals(SOCKET.INVALID_SOCKET, ws.accept(root, from, new int[] {IN_LEN}));
        assertEquals(LEAF_B, from);
    }

    @Test
    public void acceptBeforeListenIsInvalid_s4() {
        assertFails(WSAEINVAL, ws.accept(rrRoot(), null, null));
    }

    @Test
    public void conditionFunctionSeesCallerAndWritesCalleeData_s41_R29_R31() {
        SOCKET root = rrRoot();
        WSAEVENT e = select(root, FD_ACCEPT | FD_CLOSE);
        assertOk(ws.listen(root, 5));
        QOS qos = new QOS();
        qos.ReceivingFlowspec.ServiceType = SERVICETYPE_BESTEFFORT;
        ScriptedProvider.ScriptedRequest request = rr.lastSocket().queue(LEAF_A, new byte[] {'a', 'b', 'c'}, qos, 8);

        Object[] seen = new Object[5];
        SOCKADDR addr = new SOCKADDR();
        int[] addrlen = {IN_LEN};
        SOCKET child = ws.WSAAccept(root, addr, addrlen, (id, data, sq, gq, cid, cdata, g, cb) -> {
            seen[0] = SOCKADDR.from(id);
            seen[1] = data.toBytes();
            seen[2] = sq;
            seen[3] = gq;
            seen[4] = cdata.len;
            cdata.buf[0] = 'x';
            cdata.buf[1] = 'y';
            cdata.len = 2;
            return cb == 42L ? CF_ACCEPT : CF_REJECT;
        }, 42L);
        assertNotEquals(SOCKET.INVALID_SOCKET, child);
        assertEquals(LEAF_A, seen[0]);
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, (byte[]) seen[1]);
        assertEquals(qos, seen[2]);
        assertNull("lpGQOS is NULL", seen[3]);
        assertEquals("callee room as the provider offers it", 8, seen[4]);
        assertArrayEquals(new byte[] {'x', 'y'}, request.acceptedWith());
        assertEquals(LEAF_A, addr);
        assertEquals(IN_LEN, addrlen[0]);

        request.accepted().post(FD_CLOSE_BIT, 0);
        assertEquals("the accepted socket inherits the listener's selection", FD_CLOSE,
                events(child, e).lNetworkEvents & FD_CLOSE);
    }

    // ---- event objects and WSAWaitForMultipleEvents ----

    @Test
    public void waitReturnsLowestSignalledIndexAndEventsAreManualReset_s4() {
        WSAEVENT[] es = {ws.WSACreateEvent(), ws.WSACreateEvent(), ws.WSACreateEvent()};
        assertEquals(WSA_WAIT_TIMEOUT, ws.WSAWaitForMultipleEvents(3, es, false, 0, false));
        ws.WSASetEvent(es[2]);
        ws.WSASetEvent(es[1]);
        assertEquals(WSA_WAIT_EVENT_0 + 1, ws.WSAWaitForMultipleEvents(3, es, false, 0, false));
        assertEquals("manual reset: still signalled", WSA_WAIT_EVENT_0 + 1,
                ws.WSAWaitForMultipleEvents(3, es, false, 0, false));
        assertEquals(WSA_WAIT_TIMEOUT, ws.WSAWaitForMultipleEvents(3, es, true, 0, false));
        ws.WSASetEvent(es[0]);
        assertEquals(WSA_WAIT_EVENT_0, ws.WSAWaitForMultipleEvents(3, es, true, 0, false));
        ws.WSAResetEvent(es[0]);
        assertEquals(WSA_WAIT_EVENT_0 + 1, ws.WSAWaitForMultipleEvents(3, es, false, 0, false));
    }

    @Test
    public void waitTimesOut_s4() {
        WSAEVENT e = ws.WSACreateEvent();
        assertEquals(WSA_WAIT_TIMEOUT, ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {e}, false, 20, false));
    }

    @Test
    public void waitWakesWhenAnotherThreadSignals_s4() throws Exception {
        WSAEVENT[] es = {ws.WSACreateEvent(), ws.WSACreateEvent()};
        Future<Outcome<Integer>> waiter = inBackground(() -> ws.WSAWaitForMultipleEvents(2, es, true, 10_000, false));
        ws.WSASetEvent(es[1]);
        assertFalse("wait-all needs both", waiter.isDone());
        ws.WSASetEvent(es[0]);
        assertEquals(WSA_WAIT_EVENT_0, (int) result(waiter).value);
    }

    @Test
    public void waitAcceptsUpTo64Events_s4() {
        WSAEVENT[] es = new WSAEVENT[WSA_MAXIMUM_WAIT_EVENTS + 1];
        for (int i = 0; i < es.length; i++) {
            es[i] = ws.WSACreateEvent();
        }
        ws.WSASetEvent(es[63]);
        assertEquals(WSA_WAIT_EVENT_0 + 63, ws.WSAWaitForMultipleEvents(64, es, false, 0, false));
        assertEquals(WSA_WAIT_FAILED, ws.WSAWaitForMultipleEvents(65, es, false, 0, false));
        assertLastError(WSA_INVALID_PARAMETER);
    }

    @Test
    public void waitWithBadParametersFails_s4() {
        WSAEVENT e = ws.WSACreateEvent();
        assertEquals(WSA_WAIT_FAILED, ws.WSAWaitForMultipleEvents(0, new WSAEVENT[] {e}, false, 0, false));
        assertLastError(WSA_INVALID_PARAMETER);
        assertEquals(WSA_WAIT_FAILED, ws.WSAWaitForMultipleEvents(1, null, false, 0, false));
        assertLastError(WSA_INVALID_PARAMETER);
        assertEquals(WSA_WAIT_FAILED, ws.WSAWaitForMultipleEvents(2, new WSAEVENT[] {e}, false, 0, false));
        assertLastError(WSA_INVALID_PARAMETER);
        assertEquals(WSA_WAIT_FAILED, ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {null}, false, 0, false));
        assertLastError(WSA_INVALID_HANDLE);
    }

    @Test
    public void waitOnClosedHandleFails_evenWhenClosedWhileWaiting_s4() throws Exception {
        WSAEVENT closed = ws.WSACreateEvent();
        assertTrue(ws.WSACloseEvent(closed));
        assertEquals(WSA_WAIT_FAILED, ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {closed}, false, 0, false));
        assertLastError(WSA_INVALID_HANDLE);
        assertFalse(ws.WSACloseEvent(closed));
        assertLastError(WSA_INVALID_HANDLE);

        WSAEVENT e = ws.WSACreateEvent();
        Future<Outcome<Integer>> waiter = inBackground(() ->
                ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {e}, false, 10_000, false));
        assertTrue(ws.WSACloseEvent(e));
        Outcome<Integer> o = result(waiter);
        // closed before or during the wait: either way an invalid handle, never a timeout or a success
        assertEquals(WSA_WAIT_FAILED, (int) o.value);
        assertEquals(WSA_INVALID_HANDLE, o.lastError);
    }

    // ---- direction (decisions 6) ----

    @Test
    public void sendOnReceiverOnlyAndReceiveOnSenderOnlyAreShutdown_decisions6() {
        SOCKET receiver = joined(JL_RECEIVER_ONLY);
        assertFails(WSAESHUTDOWN, ws.send(receiver, new byte[] {1}, 1, 0));
        assertFails(WSAESHUTDOWN, ws.sendto(receiver, new byte[] {1}, 1, 0, GROUP, IN_LEN));
        np.lastSocket().deliver(new byte[] {9});
        assertEquals(1, ws.recv(receiver, new byte[4], 4, 0));

        SOCKET sender = joined(JL_SENDER_ONLY);
        assertFails(WSAESHUTDOWN, ws.recv(sender, new byte[4], 4, 0));
        assertFails(WSAESHUTDOWN, ws.recvfrom(sender, new byte[4], 4, 0, null, null));
        assertEquals(1, ws.send(sender, new byte[] {1}, 1, 0));
        assertEquals(1, np.lastSocket().sent().size());

        SOCKET both = joined(JL_BOTH);
        assertEquals(1, ws.send(both, new byte[] {1}, 1, 0));
        assertFails(WSAEWOULDBLOCK, ws.recv(both, new byte[4], 4, 0));
    }

    @Test
    public void qosIoctlsWithoutQosSupportAreNoProtoOpt_s52_decisions10() {
        SOCKET s = joined(JL_BOTH);
        assertFails(WSAENOPROTOOPT, ws.WSAIoctl(s, SIO_GET_QOS, null, 0, new QOS(),
                QOS.SIZE, new int[1]));
        assertFails(WSAENOPROTOOPT, ws.WSAIoctl(s, SIO_SET_QOS, new QOS(),
                QOS.SIZE, null, 0, new int[1]));
    }

    private SOCKET joined(int direction) {
        SOCKET s = nonBlocking(npLeaf());
        assertEquals(s, join(s, GROUP, null, null, direction));
        np.lastJoin().complete(null);
        return s;
    }
}
