package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAOVERLAPPED;
import org.junit.Test;

/**
 * Issue 13, deliverable 1: WSASend/WSASendTo/WSARecv/WSARecvFrom over the default provider on loopback: gather and
 * scatter, byte counts and in/out flags, a datagram larger than the buffers (WSAEMSGSIZE, head delivered, rest
 * lost), and the documented argument errors (overlapped arguments: WSAEINVAL).
 */
public class ScatterGatherTest extends LoopbackRuntimeTest {

    @Test
    public void buffersAreGatheredIntoOneDatagramAndScatteredOutOfIt() {
        SOCKADDR rAddr = new SOCKADDR();
        SOCKET r = boundUdp(rAddr);
        SOCKADDR sAddr = new SOCKADDR();
        SOCKET s = boundUdp(sAddr);
        WSABUF[] out = {WSABUF.of(new byte[] {1, 2}), WSABUF.of(new byte[] {3}), WSABUF.of(new byte[] {4, 5, 6})};
        int[] sent = new int[1];
        assertOk(ws.WSASendTo(s, out, 3, sent, 0, rAddr, IN_LEN, null, null));
        assertEquals(6, sent[0]);
        WSABUF[] in = {WSABUF.allocate(4), WSABUF.allocate(4)};
        int[] got = new int[1];
        int[] flags = {0};
        SOCKADDR from = new SOCKADDR();
        int[] fromlen = {IN_LEN};
        assertOk(ws.WSARecvFrom(r, in, 2, got, flags, from, fromlen, null, null));
        assertEquals(6, got[0]);
        assertEquals(0, flags[0]);
        assertEquals(sAddr, from);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, in[0].buf);
        assertArrayEquals(new byte[] {5, 6, 0, 0}, in[1].buf);
    }

    @Test
    public void aDatagramLargerThanTheBuffersIsMsgSizeAndTheRestIsLost() {
        SOCKADDR rAddr = new SOCKADDR();
        SOCKET r = boundUdp(rAddr);
        SOCKET s = udp();
        assertOk(ws.connect(s, rAddr, IN_LEN));
        int[] sent = new int[1];
        assertOk(ws.WSASend(s, new WSABUF[] {WSABUF.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})}, 1, sent, 0,
                null, null));
        assertOk(ws.WSASend(s, new WSABUF[] {WSABUF.of(new byte[] {42})}, 1, sent, 0, null, null));
        WSABUF[] in = {WSABUF.allocate(3), WSABUF.allocate(3)};
        int[] got = new int[1];
        int[] flags = {0};
        assertFails(WSAEMSGSIZE, ws.WSARecv(r, in, 2, got, flags, null, null));
        assertEquals("the buffers hold the head of the datagram", 6, got[0]);
        assertArrayEquals(new byte[] {4, 5, 6}, in[1].buf);
        assertOk(ws.WSARecv(r, in, 2, got, flags, null, null));
        assertEquals("the next call gets the next datagram: the rest was lost", 1, got[0]);
        assertEquals(42, in[0].buf[0]);
    }

    /** recv's documentation: for unreliable protocols (UDP) the excess data is lost (decision 27). */
    @Test
    public void recvOfADatagramLargerThanTheBufferIsMsgSizeAndTheRestIsLost() {
        SOCKADDR rAddr = new SOCKADDR();
        SOCKET r = boundUdp(rAddr);
        SOCKET s = udp();
        assertEquals(5, ws.sendto(s, new byte[] {1, 2, 3, 4, 5}, 5, 0, rAddr, IN_LEN));
        assertEquals(1, ws.sendto(s, new byte[] {42}, 1, 0, rAddr, IN_LEN));
        byte[] small = new byte[2];
        assertFails(WSAEMSGSIZE, ws.recv(r, small, 2, 0));
        assertArrayEquals(new byte[] {1, 2}, small);
        byte[] big = new byte[8];
        assertEquals("the next recv gets the next datagram", 1, ws.recv(r, big, 8, 0));
        assertEquals(42, big[0]);
    }

    /** WSASend's and WSARecv's documented errors: over the entry's message size, after shutdown. */
    @Test
    public void overTheMessageSizeIsMsgSizeAndAfterShutdownIsShutdown() {
        SOCKADDR rAddr = new SOCKADDR();
        SOCKET r = boundUdp(rAddr);
        SOCKET s = udp();
        assertOk(ws.connect(s, rAddr, IN_LEN));
        int[] n = new int[1];
        WSABUF[] huge = {WSABUF.allocate(40_000), WSABUF.allocate(40_000)}; // over dwMessageSize (65467)
        assertFails(WSAEMSGSIZE, ws.WSASend(s, huge, 2, n, 0, null, null));
        assertOk(ws.shutdown(s, SD_SEND));
        assertFails(WSAESHUTDOWN, ws.WSASend(s, new WSABUF[] {WSABUF.allocate(1)}, 1, n, 0, null, null));
        assertOk(ws.shutdown(r, SD_RECEIVE));
        assertFails(WSAESHUTDOWN, ws.WSARecv(r, new WSABUF[] {WSABUF.allocate(1)}, 1, n, new int[1], null, null));
    }

    @Test
    public void peekLeavesTheDatagramQueued() {
        SOCKADDR rAddr = new SOCKADDR();
        SOCKET r = boundUdp(rAddr);
        SOCKET s = udp();
        assertEquals(2, ws.sendto(s, new byte[] {7, 8}, 2, 0, rAddr, IN_LEN));
        WSABUF[] in = {WSABUF.allocate(8)};
        int[] got = new int[1];
        int[] flags = {MSG_PEEK};
        assertOk(ws.WSARecv(r, in, 1, got, flags, null, null));
        assertEquals(2, got[0]);
        flags[0] = 0;
        assertOk(ws.WSARecv(r, in, 1, got, flags, null, null));
        assertEquals(2, got[0]);
    }

    /** WSASend's documentation: overlapped arguments on a socket not created as an overlapped one are WSAEINVAL. */
    @Test
    public void overlappedArgumentsAreInval() {
        SOCKADDR rAddr = new SOCKADDR();
        SOCKET r = boundUdp(rAddr);
        WSABUF[] b = {WSABUF.allocate(4)};
        int[] n = new int[1];
        assertFails(WSAEINVAL, ws.WSASendTo(r, b, 1, n, 0, rAddr, IN_LEN, new WSAOVERLAPPED(), null));
        assertFails(WSAEINVAL, ws.WSASend(r, b, 1, n, 0, null, (e, c, o, f) -> { }));
        assertFails(WSAEINVAL, ws.WSARecv(r, b, 1, n, new int[1], new WSAOVERLAPPED(), null));
        assertFails(WSAEINVAL, ws.WSARecvFrom(r, b, 1, n, new int[1], null, null, null, (e, c, o, f) -> { }));
    }

    @Test
    public void missingOrShortArgumentsAreFaultAndUnknownFlagsOpNotSupp() {
        SOCKADDR rAddr = new SOCKADDR();
        SOCKET r = boundUdp(rAddr);
        int[] n = new int[1];
        assertFails(WSAEFAULT, ws.WSASendTo(r, null, 1, n, 0, rAddr, IN_LEN, null, null));
        assertFails(WSAEFAULT, ws.WSASendTo(r, new WSABUF[] {WSABUF.allocate(1)}, 2, n, 0, rAddr, IN_LEN, null, null));
        assertFails(WSAEFAULT, ws.WSASendTo(r, new WSABUF[] {new WSABUF(9, new byte[2])}, 1, n, 0, rAddr, IN_LEN,
                null, null));
        assertFails(WSAEFAULT, ws.WSASendTo(r, new WSABUF[] {WSABUF.allocate(1)}, 1, null, 0, rAddr, IN_LEN, null,
                null));
        assertFails(WSAEFAULT, ws.WSARecv(r, new WSABUF[] {WSABUF.allocate(1)}, 1, n, null, null, null));
        assertFails(WSAEOPNOTSUPP, ws.WSASendTo(r, new WSABUF[] {WSABUF.allocate(1)}, 1, n, MSG_OOB, rAddr, IN_LEN,
                null, null));
        assertFails(WSAEOPNOTSUPP, ws.WSARecv(r, new WSABUF[] {WSABUF.allocate(1)}, 1, n, new int[] {MSG_OOB}, null,
                null));
        assertOk(ws.closesocket(r));
        assertFails(WSAENOTSOCK, ws.WSARecv(r, new WSABUF[] {WSABUF.allocate(1)}, 1, n, new int[1], null, null));
    }
}
