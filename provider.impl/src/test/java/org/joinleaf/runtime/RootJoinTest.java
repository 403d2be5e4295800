package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.Future;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.spi.WsaException;
import org.junit.Test;

/** Conformance F: root-initiated joins on P-rr (§1.4, §1.5, §3 R19, R21, R23, R25, R26, R36). */
public class RootJoinTest extends ScriptedRuntimeTest {

    @Test
    public void f32_rootJoinReturnsNewDescriptorInheritingTheSelection_R23_R26() {
        SOCKET r = rrRoot();
        WSAEVENT e = select(r, FD_CONNECT | FD_CLOSE | FD_READ);
        SOCKET cA = join(r, LEAF_A, null, null, JL_BOTH);
        assertNotEquals(SOCKET.INVALID_SOCKET, cA);
        assertNotEquals(r, cA);
        ScriptedProvider.Join j = rr.lastJoin();
        assertEquals(LEAF_A, j.request.name());
        assertNotNull("the provider gets the new c_leaf's upcalls", j.request.newSocketUpcalls());
        assertNotSame(j.socket, j.returned);

        j.complete(null);
        WSANETWORKEVENTS onRoot = events(r, e);
        assertEquals("FD_CONNECT goes to the root (R15)", FD_CONNECT, onRoot.lNetworkEvents);
        assertEquals(0, onRoot.iErrorCode[FD_CONNECT_BIT]);

        j.returned.post(FD_CLOSE_BIT, WSAECONNRESET);
        assertTrue("cA signals the root's event object (R26)", isSignalled(e));
        WSANETWORKEVENTS onLeaf = events(cA, e);
        assertEquals(FD_CLOSE, onLeaf.lNetworkEvents & FD_CLOSE);
        assertEquals(WSAECONNRESET, onLeaf.iErrorCode[FD_CLOSE_BIT]);
        assertEquals("the root's record is its own", 0, events(r, e).lNetworkEvents);
    }

    @Test
    public void rootJoinAnsweredWithoutANewTransportIsAProviderFailure_decisions22() throws Exception {
        for (boolean self : new boolean[] {false, true}) {
            SOCKET r = rrRoot();
            WSAEVENT e = select(r, FD_CONNECT);
            ScriptedProvider.ScriptedSocket rootTransport = rr.lastSocket();
            int before = ws.socketCount();
            rr.answerNextRootJoinWith(self);
            assertFails(WSASYSCALLFAILURE, join(r, LEAF_A, null, null, JL_BOTH));
            assertEquals("no descriptor was handed out", before, ws.socketCount());
            rr.lastJoin().complete(null); // a late completion is ignored
            assertEquals(0, events(r, e).lNetworkEvents);
            assertEquals("the root's transport is untouched", 0, rootTransport.closes());

            SOCKET cA = join(r, LEAF_A, null, null, JL_BOTH); // the root may invite again (R21)
            assertNotEquals(SOCKET.INVALID_SOCKET, cA);
            rr.lastJoin().complete(null);
            assertOk(ws.closesocket(cA));
            assertEquals("closing the leaf does not close the root", 0, rootTransport.closes());
            assertEquals(1, ws.send(r, new byte[1], 1, 0));
        }
    }

    @Test
    public void r26_newDescriptorInheritsNonBlockingMode_R26() throws Exception {
        SOCKET r = rrRoot();
        select(r, FD_CONNECT);
        SOCKET cA = join(r, LEAF_A, null, null, JL_BOTH);
        rr.lastJoin().complete(null);
        Outcome<Integer> recv = result(inBackground(() -> ws.recv(cA, new byte[4], 4, 0)));
        assertEquals(SOCKET_ERROR, (int) recv.value);
        assertEquals(WSAEWOULDBLOCK, recv.lastError);
        assertFails(WSAEINVAL, ws.ioctlsocket(cA, FIONBIO, new int[] {0}));
    }

    @Test
    public void f33_rootMayInviteAgainAfterTheLastInvitationFinished_R21() {
        SOCKET r = rrRoot();
        WSAEVENT e = select(r, FD_CONNECT);
        SOCKET cA = join(r, LEAF_A, null, null, JL_BOTH);
        rr.lastJoin().complete(null);
        assertEquals(FD_CONNECT, events(r, e).lNetworkEvents);

        SOCKET cB = join(r, LEAF_B, null, null, JL_BOTH);
        assertNotEquals("not WSAEISCONN", SOCKET.INVALID_SOCKET, cB);
        assertNotEquals(cA, cB);
        assertEquals(LEAF_B, rr.lastJoin().request.name());
        rr.lastJoin().fail(WSAECONNREFUSED);
        WSANETWORKEVENTS second = events(r, e);
        assertEquals("each invitation reports its own FD_CONNECT", FD_CONNECT, second.lNetworkEvents);
        assertEquals(WSAECONNREFUSED, second.iErrorCode[FD_CONNECT_BIT]);
    }

    @Test
    public void f34_secondInvitationWhileOneIsPendingIsAlready_R19() {
        SOCKET r = rrRoot();
        select(r, FD_CONNECT);
        assertNotEquals(SOCKET.INVALID_SOCKET, join(r, LEAF_A, null, null, JL_BOTH));
        assertJoinFails(WSAEALREADY, r, LEAF_B, IN_LEN, null, JL_BOTH);
    }

    @Test
    public void f35_listeningRootMayStillInvite_R36() {
        SOCKET r = rrRoot();
        select(r, FD_CONNECT | FD_ACCEPT);
        assertOk(ws.listen(r, 5));
        SOCKET cA = join(r, LEAF_A, null, null, JL_BOTH);
        assertNotEquals(SOCKET.INVALID_SOCKET, cA);
    }

    @Test
    public void s31_pendingInvitedDescriptorRefusesEveryCallButClose_R25_decisions7() {
        SOCKET r = rrRoot();
        WSAEVENT e = select(r, FD_CONNECT);
        SOCKET cA = join(r, LEAF_A, null, null, JL_BOTH);
        assertEveryCallIsNotConn(cA, e);
    }

    @Test
    public void r25_closingThePendingInvitedDescriptorCancelsTheInvitation_R25() {
        SOCKET r = rrRoot();
        WSAEVENT e = select(r, FD_CONNECT);
        SOCKET cA = join(r, LEAF_A, null, null, JL_BOTH);
        ScriptedProvider.Join j = rr.lastJoin();
        assertOk(ws.closesocket(cA));
        assertEquals("the invited leaf's transport was closed", 1, j.returned.closes());
        assertEquals("the root's transport stays open", 0, j.socket.closes());

        j.complete(null); // too late: ignored
        assertFalse("a cancelled invitation reports no FD_CONNECT", isSignalled(e));
        assertFails(WSAENOTSOCK, ws.closesocket(cA));
        assertNotEquals("the root may invite again", SOCKET.INVALID_SOCKET, join(r, LEAF_B, null, null, JL_BOTH));
    }

    @Test
    public void failedBlockingInvitationLeavesNoDescriptor_R12_R23() throws Exception {
        SOCKET r = rrRoot();
        int before = ws.socketCount();
        Future<Outcome<SOCKET>> call = inBackground(() -> join(r, LEAF_A, null, null, JL_BOTH));
        ScriptedProvider.Join j = rr.nextJoin();
        assertEquals("the pending c_leaf is in the table", before + 1, ws.socketCount());
        j.fail(WSAETIMEDOUT);
        Outcome<SOCKET> o = result(call);
        assertSame(SOCKET.INVALID_SOCKET, o.value);
        assertEquals(WSAETIMEDOUT, o.lastError);
        assertEquals(before, ws.socketCount());
        assertEquals("the failed leaf's transport was closed", 1, j.returned.closes());

        Future<Outcome<SOCKET>> next = inBackground(() -> join(r, LEAF_B, null, null, JL_BOTH));
        rr.nextJoin().complete(null);
        SOCKET cB = result(next).value;
        assertNotEquals(SOCKET.INVALID_SOCKET, cB);
        assertNotEquals(r, cB);
        assertEquals(before + 1, ws.socketCount());
    }

    @Test
    public void synchronousInvitationFailureLeavesNoDescriptor_R23() {
        SOCKET r = rrRoot();
        int before = ws.socketCount();
        rr.failNextJoin(new WsaException(WSAEADDRNOTAVAIL, "no such leaf"));
        assertJoinFails(WSAEADDRNOTAVAIL, r, LEAF_A, IN_LEN, null, JL_BOTH);
        assertEquals(before, ws.socketCount());
        select(r, FD_CONNECT);
        assertNotEquals("no invitation is left outstanding", SOCKET.INVALID_SOCKET,
                join(r, LEAF_A, null, null, JL_BOTH));
    }

    @Test
    public void closingTheRootEndsItsPendingInvitation_R25_s1_6() {
        SOCKET r = rrRoot();
        WSAEVENT e = select(r, FD_CONNECT | FD_CLOSE);
        SOCKET cA = join(r, LEAF_A, null, null, JL_BOTH);
        assertOk(ws.closesocket(r));
        WSANETWORKEVENTS ne = events(cA, e);
        assertEquals("the invited leaf learns that the session ended", FD_CLOSE, ne.lNetworkEvents & FD_CLOSE);
        assertOk(ws.closesocket(cA));
    }

    @Test
    public void closingTheRootWakesABlockingInvitation_R12_R25() throws Exception {
        SOCKET r = rrRoot();
        Future<Outcome<SOCKET>> call = inBackground(() -> join(r, LEAF_A, null, null, JL_BOTH));
        ScriptedProvider.Join j = rr.nextJoin();
        assertOk(ws.closesocket(r));
        Outcome<SOCKET> o = result(call); // the provider never completes an invitation of a closed root
        assertSame(SOCKET.INVALID_SOCKET, o.value);
        assertEquals("only the closed root's own descriptor table entries are gone", 0, ws.socketCount());
        assertEquals(1, j.returned.closes());
    }
}
