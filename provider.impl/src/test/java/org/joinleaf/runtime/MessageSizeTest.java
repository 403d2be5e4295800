package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.concurrent.Future;
import org.joinleaf.api.FD_SET;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.TIMEVAL;
import org.joinleaf.api.WSABUF;
import org.junit.Test;

/**
 * Issue 13 (item 4 of the follow-up), decision 27: a message larger than the receive buffers on a message-oriented
 * socket, as recv's and WSARecv's documentation say. A reliable entry ({@code XP1_GUARANTEED_DELIVERY}, as
 * provider.tcp's and provider.local's) fills the buffers with the head, fails with WSAEMSGSIZE and keeps the
 * message for a receive with a buffer large enough; an entry with {@code XP1_PARTIAL_MESSAGE} hands WSARecv the
 * message in pieces flagged MSG_PARTIAL, and a recv after such a piece gets the rest; an unreliable entry loses the
 * rest (UDP: ScatterGatherTest).
 */
public class MessageSizeTest extends ScriptedRuntimeTest {
    private static final byte[] TEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    private ScriptedProvider.ScriptedSocket t;

    /** A socket of a reliable message entry; its scripted transport in {@link #t}. */
    private SOCKET reliable(int extraFlags) {
        ScriptedProvider p = ScriptedProvider.withoutJoin().entry("P-rel", AF_INET, SOCK_SEQPACKET, 0,
                XP1_MESSAGE_ORIENTED | XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | extraFlags);
        catalog.add(p, "P-rel", 0, 3L);
        SOCKET s = socket(AF_INET, SOCK_SEQPACKET, 0, 0);
        t = p.lastSocket();
        return s;
    }

    @Test
    public void recvOnAReliableEntryKeepsTheMessageUntilABufferHoldsIt() {
        SOCKET s = reliable(0);
        t.deliver(TEN);
        t.deliver(new byte[] {11});
        byte[] small = new byte[4];
        assertFails(WSAEMSGSIZE, ws.recv(s, small, 4, 0));
        assertArrayEquals("the buffer holds the head", new byte[] {1, 2, 3, 4}, small);
        assertFails(WSAEMSGSIZE, ws.recv(s, small, 4, 0)); // still too small: still kept
        assertTrue("a kept message is readable", readable(s));
        int[] queued = new int[1];
        assertOk(ws.ioctlsocket(s, FIONREAD, queued));
        assertEquals("FIONREAD sizes the kept message, so that a buffer can be made for it", 10, queued[0]);
        byte[] big = new byte[16];
        assertEquals(10, ws.recv(s, big, 16, 0));
        assertArrayEquals(TEN, Arrays.copyOf(big, 10));
        assertEquals("the next message follows", 1, ws.recv(s, big, 16, 0));
        assertEquals(11, big[0]);
    }

    // issue 14 item 2: a thread's receives into the same array share one wrapper; each call still writes no more
    // than its own len, and a receive into another array gets its own
    @Test
    public void recvIntoTheSameArrayHonoursEachCallsLength() {
        SOCKET s = reliable(0);
        byte[] big = new byte[16];
        t.deliver(TEN);
        assertEquals(10, ws.recv(s, big, 16, 0));
        Arrays.fill(big, (byte) -1);
        t.deliver(TEN);
        assertFails(WSAEMSGSIZE, ws.recv(s, big, 4, 0));
        assertArrayEquals("only len bytes written", new byte[] {1, 2, 3, 4, -1, -1}, Arrays.copyOf(big, 6));
        byte[] other = new byte[12];
        assertEquals(10, ws.recv(s, other, 12, 0));
        assertArrayEquals(TEN, Arrays.copyOf(other, 10));
        assertEquals("the first array is left alone", -1, big[4]);
    }

    /** A receive that waits peeks into the caller's buffer, so the larger message that arrives is kept whole. */
    @Test
    public void aBlockingRecvThatWaitsKeepsTheLargerMessageThatArrives() throws Exception {
        SOCKET s = reliable(0);
        Future<Outcome<Integer>> waiting = inBackground(() -> ws.recv(s, new byte[4], 4, 0));
        t.deliver(TEN);
        Outcome<Integer> o = result(waiting);
        assertEquals(SOCKET_ERROR, (int) o.value);
        assertEquals(WSAEMSGSIZE, o.lastError);
        byte[] big = new byte[16];
        assertEquals(10, ws.recv(s, big, 16, 0));
        assertArrayEquals(TEN, Arrays.copyOf(big, 10));
    }

    @Test
    public void wsaRecvOnAReliableEntryIsMsgSizeWithTheCountAndKeepsTheMessage() {
        SOCKET s = reliable(0);
        t.deliver(TEN);
        WSABUF[] two = {WSABUF.allocate(3), WSABUF.allocate(3)};
        int[] got = new int[1];
        int[] flags = {0};
        assertFails(WSAEMSGSIZE, ws.WSARecv(s, two, 2, got, flags, null, null));
        assertEquals("the buffers hold the head", 6, got[0]);
        assertEquals("no MSG_PARTIAL without XP1_PARTIAL_MESSAGE", 0, flags[0]);
        assertArrayEquals(new byte[] {4, 5, 6}, two[1].buf);
        WSABUF[] one = {WSABUF.allocate(10)};
        assertOk(ws.WSARecv(s, one, 1, got, flags, null, null));
        assertEquals(10, got[0]);
        assertArrayEquals(TEN, one[0].buf);
    }

    @Test
    public void peekingAtAKeptMessageLeavesItKept() {
        SOCKET s = reliable(0);
        t.deliver(TEN);
        byte[] small = new byte[4];
        assertFails(WSAEMSGSIZE, ws.recv(s, small, 4, 0));
        byte[] big = new byte[10];
        assertEquals(10, ws.recv(s, big, 10, MSG_PEEK));
        assertEquals(10, ws.recv(s, big, 10, 0));
        assertArrayEquals(TEN, big);
    }

    @Test
    public void recvAfterAPartialPieceGetsTheRest() {
        SOCKET s = reliable(XP1_PARTIAL_MESSAGE);
        t.deliver(TEN);
        WSABUF[] b = {WSABUF.allocate(4)};
        int[] got = new int[1];
        int[] flags = {0};
        assertOk(ws.WSARecv(s, b, 1, got, flags, null, null));
        assertEquals(MSG_PARTIAL, flags[0]);
        assertEquals(4, got[0]);
        byte[] rest = new byte[8];
        assertEquals(6, ws.recv(s, rest, 8, 0));
        assertArrayEquals(new byte[] {5, 6, 7, 8, 9, 10}, Arrays.copyOf(rest, 6));
    }

    private boolean readable(SOCKET s) {
        FD_SET read = new FD_SET();
        FD_SET(s, read);
        int n = ws.select(0, read, null, null, new TIMEVAL(0, 0));
        return n == 1 && FD_ISSET(s, read);
    }
}
