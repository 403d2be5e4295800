package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;

import java.util.concurrent.Future;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.junit.Test;

/**
 * Conformance D: a blocking join returns only when the provider finished it (§3 R10, R12, R13, R22, R24, R30). The
 * join runs on another thread; the test finishes it through the scripted provider.
 */
public class BlockingJoinTest extends ScriptedRuntimeTest {
    /** A short bound for decisions 23: the scripted provider never completes, so any bound is reached. */
    private static final long BOUND_MILLIS = 100;

    @Test
    public void blockingLeafJoinThatTheProviderNeverCompletesTimesOut_decisions23() throws Exception {
        ws.blockingJoinBound(BOUND_MILLIS);
        SOCKET s = npLeaf();
        Outcome<SOCKET> o = result(inBackground(() -> join(s, GROUP, null, null, JL_BOTH)));
        assertSame(SOCKET.INVALID_SOCKET, o.value);
        assertEquals(WSAETIMEDOUT, o.lastError);
        np.lastJoin().complete(null); // too late: ignored
        assertFails(WSAEINVAL, join(s, GROUP, null, null, JL_BOTH)); // the provider may still hold it: close it
        assertOk(ws.closesocket(s));
        assertEquals(1, np.lastSocket().closes());
    }

    @Test
    public void blockingRootJoinThatTheProviderNeverCompletesTimesOut_decisions23() throws Exception {
        ws.blockingJoinBound(BOUND_MILLIS);
        SOCKET r = rrRoot();
        int before = ws.socketCount();
        Outcome<SOCKET> o = result(inBackground(() -> join(r, LEAF_A, null, null, JL_BOTH)));
        assertSame(SOCKET.INVALID_SOCKET, o.value);
        assertEquals(WSAETIMEDOUT, o.lastError);
        ScriptedProvider.Join j = rr.lastJoin();
        assertEquals("the invited leaf's descriptor is gone", before, ws.socketCount());
        assertEquals("its transport is closed, which cancels the invitation", 1, j.returned.closes());
        j.complete(null);
        rr.nextJoin(); // drain the started join
        Future<Outcome<SOCKET>> again = inBackground(() -> join(r, LEAF_B, null, null, JL_BOTH));
        rr.nextJoin().complete(null); // the root may invite again (R21)
        assertNotNull(result(again).value);
        assertNotSame(SOCKET.INVALID_SOCKET, result(again).value);
    }

    @Test
    public void blockingConnectThatTheProviderNeverCompletesTimesOut_decisions23() throws Exception {
        ws.blockingJoinBound(BOUND_MILLIS);
        SOCKET s = npLeaf();
        Outcome<Integer> o = result(inBackground(() -> ws.WSAConnect(s, GROUP, IN_LEN, null, null, null, null)));
        assertEquals(SOCKET_ERROR, (int) o.value);
        assertEquals(WSAETIMEDOUT, o.lastError);
        np.nextJoin().complete(null); // ignored
        Future<Outcome<Integer>> again = inBackground(() -> ws.WSAConnect(s, GROUP, IN_LEN, null, null, null, null));
        np.nextJoin().complete(null); // not WSAEALREADY: the timed-out connect is no longer in progress
        assertEquals(0, (int) result(again).value);
    }

    @Test
    public void d19_blockingLeafJoinReturnsSameSocketWhenFinished_R10_R12_R13_R24() throws Exception {
        SOCKET s = npLeaf();
        WSABUF callee = WSABUF.allocate(8);
        Future<Outcome<SOCKET>> call = inBackground(() -> join(s, GROUP, null, callee, JL_BOTH));
        ScriptedProvider.Join j = np.nextJoin();
        assertFalse("a blocking join must wait for the provider", call.isDone());
        j.complete(new byte[] {7, 8, 9});

        Outcome<SOCKET> o = result(call);
        assertEquals(s, o.value);
        assertEquals(3, callee.len);
        assertArrayEquals(new byte[] {7, 8, 9}, callee.toBytes());
        SOCKADDR local = new SOCKADDR();
        int[] len = {SOCKADDR.SIZEOF_SOCKADDR_STORAGE};
        assertOk(ws.getsockname(s, local, len));
        assertEquals(AF_INET, local.sa_family);
        assertEquals(IN_LEN, len[0]);
    }

    @Test
    public void d20_refusedBlockingJoinFailsAndMayBeRetried_R12_R22() throws Exception {
        assertRetryAllowedAfter(WSAECONNREFUSED);
    }

    @Test
    public void d21_timedOutBlockingJoinMayBeRetried_R22() throws Exception {
        assertRetryAllowedAfter(WSAETIMEDOUT);
    }

    @Test
    public void d21_unreachableBlockingJoinMayBeRetried_R22() throws Exception {
        assertRetryAllowedAfter(WSAENETUNREACH);
    }

    private void assertRetryAllowedAfter(int code) throws Exception {
        SOCKET s = npLeaf();
        Future<Outcome<SOCKET>> first = inBackground(() -> join(s, GROUP, null, null, JL_BOTH));
        np.nextJoin().fail(code);
        Outcome<SOCKET> o = result(first);
        assertSame(SOCKET.INVALID_SOCKET, o.value);
        assertEquals(code, o.lastError);

        Future<Outcome<SOCKET>> retry = inBackground(() -> join(s, GROUP, null, null, JL_BOTH));
        np.nextJoin().complete(null);
        Outcome<SOCKET> again = result(retry);
        assertEquals("retry after " + code + " failed with " + again.lastError, s, again.value);
    }

    @Test
    public void r22_otherFailuresDoNotAllowARetry_R22() throws Exception {
        SOCKET s = npLeaf();
        Future<Outcome<SOCKET>> first = inBackground(() -> join(s, GROUP, null, null, JL_BOTH));
        np.nextJoin().fail(WSAENOBUFS);
        assertEquals(WSAENOBUFS, result(first).lastError);
        assertJoinFails(WSAEINVAL, s, GROUP, IN_LEN, null, JL_BOTH);
    }

    /**
     * The state machine must have moved before the blocked caller wakes: the caller's very next call sees the
     * outcome (R20/R22), repeated to give a wrong order a chance to show.
     */
    @Test
    public void r20_r22_nextCallRightAfterWakingSeesTheOutcome_R20_R22() throws Exception {
        for (int i = 0; i < 50; i++) {
            SOCKET s = npLeaf();
            Future<Outcome<SOCKET>> refusedThenRetried = inBackground(() -> {
                assertSame(SOCKET.INVALID_SOCKET, join(s, GROUP, null, null, JL_BOTH));
                return join(s, GROUP, null, null, JL_BOTH); // at once, as soon as the refusal woke us
            });
            np.nextJoin().fail(WSAECONNREFUSED);
            ScriptedProvider.Join retry = np.nextJoinUnless(refusedThenRetried);
            if (retry != null) {
                retry.complete(null);
            }
            Outcome<SOCKET> o = result(refusedThenRetried);
            assertEquals("round " + i + ": the retry failed with " + o.lastError, s, o.value);
            assertJoinFails(WSAEISCONN, s, GROUP, IN_LEN, null, JL_BOTH);
            assertOk(ws.closesocket(s));
        }
    }

    @Test
    public void d22_noReplyDataSetsCalleeLenToZero_R30() throws Exception {
        for (byte[] reply : new byte[][] {null, new byte[0]}) {
            SOCKET s = npLeaf();
            WSABUF callee = WSABUF.allocate(16);
            Future<Outcome<SOCKET>> call = inBackground(() -> join(s, GROUP, null, callee, JL_BOTH));
            np.nextJoin().complete(reply);
            assertEquals(s, result(call).value);
            assertEquals(0, callee.len);
        }
    }

    @Test
    public void r31_noCalleeBufferIgnoresReplyData_R31() throws Exception {
        SOCKET s = rrLeaf();
        Future<Outcome<SOCKET>> call = inBackground(() -> join(s, GROUP, null, null, JL_BOTH));
        ScriptedProvider.Join j = rr.nextJoin();
        assertEquals(0, j.request.calleeDataCapacity());
        j.complete(null);
        assertEquals(s, result(call).value);
    }

    @Test
    public void r4_replyLargerThanCalleeBufferIsFault_R4() throws Exception {
        SOCKET s = rrLeaf();
        WSABUF callee = new WSABUF(2, new byte[] {0, 0, 0});
        Future<Outcome<SOCKET>> call = inBackground(() -> join(s, GROUP, null, callee, JL_BOTH));
        rr.nextJoin().complete(new byte[] {1, 2, 3});
        Outcome<SOCKET> o = result(call);
        assertSame(SOCKET.INVALID_SOCKET, o.value);
        assertEquals(WSAEFAULT, o.lastError);
        assertArrayEquals("the caller's buffer is not overrun", new byte[] {0, 0, 0}, callee.buf);
    }

    @Test
    public void blockingJoinOnRootedLeafCarriesCallerData_R24_R29() throws Exception {
        SOCKET s = rrLeaf();
        Future<Outcome<SOCKET>> call = inBackground(() ->
                join(s, GROUP, WSABUF.of(new byte[] {'a', 'b', 'c'}), WSABUF.allocate(2), JL_SENDER_ONLY));
        ScriptedProvider.Join j = rr.nextJoin();
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, j.request.callerData());
        assertEquals(JL_SENDER_ONLY, j.request.direction());
        assertNotNull(j.completion);
        j.complete(new byte[] {'x', 'y'});
        assertEquals(s, result(call).value);
    }
}
