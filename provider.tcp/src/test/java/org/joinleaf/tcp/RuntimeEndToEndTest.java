package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.CF_ACCEPT;
import static org.joinleaf.api.Winsock2.CF_REJECT;
import static org.joinleaf.api.Winsock2.FD_READ;
import static org.joinleaf.api.Winsock2.IPPROTO_TCP;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.SOCK_STREAM;
import static org.joinleaf.api.Winsock2.WSAECONNREFUSED;
import static org.joinleaf.api.Winsock2.WSAEWOULDBLOCK;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;
import static org.joinleaf.api.Winsock2.WSA_WAIT_EVENT_0;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAEVENT;
import org.junit.Test;

/**
 * The Winsock API of the real runtime over this provider (both as plain objects): blocking WSAJoinLeaf, WSAAccept
 * with a condition function, caller and callee data, fan-out and recvfrom, FD_READ reports while data keeps arriving.
 * What an application sees.
 */
public class RuntimeEndToEndTest extends RuntimeOverTcp {
    private static final int ROOT = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    private static final int LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;
    private static final int READ_MESSAGES = 200;
    /** Generous: a signal that is due comes at once; only a lost one waits this long. */
    private static final int READ_WAIT_MILLIS = 10_000;

    @Test // §1.4 way 2 end to end: R12, R13, R24, R29, R30; §1.7 data; recvfrom names the leaf
    public void blockingLeafJoinWithConnectDataAndData() throws Exception {
        SOCKET root = listeningRoot();
        SOCKADDR rootAddress = localAddress(root);
        SOCKET leaf = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
        WSABUF callee = WSABUF.allocate(32);
        Future<SOCKET> joined = background.submit(() -> ws.WSAJoinLeaf(leaf, rootAddress, rootAddress.size(),
                WSABUF.of(bytes("caller-16-bytes!")), callee, null, null, JL_BOTH));

        byte[][] seen = new byte[1][];
        SOCKET link = ws.WSAAccept(root, new SOCKADDR(), new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE},
                (callerId, callerData, sqos, gqos, calleeId, calleeData, g, cb) -> {
                    seen[0] = callerData.toBytes();
                    byte[] reply = bytes("callee-16-bytes!");
                    System.arraycopy(reply, 0, calleeData.buf, 0, reply.length);
                    calleeData.len = reply.length;
                    return CF_ACCEPT;
                }, 0);
        assertNotEquals("WSAAccept: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, link);
        assertEquals(leaf, joined.get(10, TimeUnit.SECONDS));
        assertArrayEquals(bytes("caller-16-bytes!"), seen[0]);
        assertEquals(16, callee.len);
        assertArrayEquals(bytes("callee-16-bytes!"), Arrays.copyOf(callee.buf, callee.len));

        byte[] hello = bytes("hello leaf");
        assertEquals(hello.length, ws.send(root, hello, hello.length, 0));
        byte[] buf = new byte[64];
        assertEquals(hello.length, ws.recv(leaf, buf, buf.length, 0));

        byte[] up = bytes("hello root");
        assertEquals(up.length, ws.send(leaf, up, up.length, 0));
        SOCKADDR from = new SOCKADDR();
        assertEquals(up.length, ws.recvfrom(root, buf, buf.length, 0, from, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE}));
        assertEquals(localAddress(leaf), from);

        assertEquals(0, ws.closesocket(leaf));
        assertEquals(0, ws.closesocket(link));
    }

    @Test // §1.4 way 1 end to end: R12, R23 (a new descriptor per invited leaf), callee data back to the root
    public void blockingRootInvitationOfAListeningLeaf() throws Exception {
        SOCKET root = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, ROOT);
        SOCKET listener = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
        SOCKADDR any = SOCKADDR.of("127.0.0.1", 0);
        assertEquals(0, ws.bind(listener, any, any.size()));
        assertEquals(0, ws.listen(listener, 1));
        SOCKADDR leafAddress = localAddress(listener);
        WSABUF callee = WSABUF.allocate(8);
        Future<SOCKET> invited = background.submit(() -> ws.WSAJoinLeaf(root, leafAddress, leafAddress.size(),
                WSABUF.of(bytes("invite")), callee, null, null, JL_BOTH));

        SOCKET member = ws.WSAAccept(listener, null, null, (a, callerData, c, d, e, calleeData, g, h) -> {
            calleeData.buf[0] = 'y';
            calleeData.len = 1;
            return CF_ACCEPT;
        }, 0);
        assertNotEquals("WSAAccept: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, member);
        SOCKET link = invited.get(10, TimeUnit.SECONDS);
        assertNotEquals("WSAJoinLeaf: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, link);
        assertNotEquals("R23: a new descriptor", root, link);
        assertEquals(1, callee.len);
        assertEquals('y', callee.buf[0]);

        byte[] hello = bytes("to invited leaf");
        assertEquals(hello.length, ws.send(root, hello, hello.length, 0));
        byte[] buf = new byte[64];
        assertEquals(hello.length, ws.recv(member, buf, buf.length, 0));
    }

    @Test // decisions 8 end to end: CF_REJECT -> WSAECONNREFUSED from a blocking WSAJoinLeaf
    public void rejectedBlockingJoinIsRefused() throws Exception {
        SOCKET root = listeningRoot();
        SOCKADDR rootAddress = localAddress(root);
        SOCKET leaf = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
        Future<Integer> joined = background.submit(() -> {
            SOCKET s = ws.WSAJoinLeaf(leaf, rootAddress, rootAddress.size(), null, null, null, null, JL_BOTH);
            return s == SOCKET.INVALID_SOCKET ? ws.WSAGetLastError() : 0;
        });
        ws.WSAAccept(root, null, null, (a, b, c, d, e, f, g, h) -> CF_REJECT, 0);
        assertEquals(Integer.valueOf(WSAECONNREFUSED), joined.get(10, TimeUnit.SECONDS));
    }

    /**
     * Decisions 28: the provider posts FD_READ only when a leaf's queue turns non-empty, and the runtime reports
     * FD_READ again after every receive that leaves a message queued (§4, level-triggered). A leaf that takes ONE
     * message per signal of its event object therefore gets every message, in order, without waiting out a
     * timeout; without the runtime's re-report (or with a provider that lost an arrival) the wait times out with
     * messages still queued and the test fails.
     */
    @Test // decisions 31, §4 FD_READ re-enabled by recv and reported again while data is queued, R15 order
    public void oneMessagePerSignalGetsEveryMessageWithoutATimeout() throws Exception {
        SOCKET root = listeningRoot();
        SOCKADDR rootAddress = localAddress(root);
        SOCKET leaf = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
        Future<SOCKET> joined = background.submit(() -> ws.WSAJoinLeaf(leaf, rootAddress, rootAddress.size(), null,
                null, null, null, JL_RECEIVER_ONLY));
        SOCKET link = ws.WSAAccept(root, null, null, (a, b, c, d, e, f, g, h) -> CF_ACCEPT, 0);
        assertNotEquals("WSAAccept: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, link);
        assertEquals(leaf, joined.get(10, TimeUnit.SECONDS));

        WSAEVENT event = ws.WSACreateEvent();
        assertNotNull(event);
        assertEquals(0, ws.WSAEventSelect(leaf, event, FD_READ));
        byte[] message = new byte[16];
        for (int i = 0; i < READ_MESSAGES; i++) { // sent in one go: most arrive while earlier ones are still queued
            ByteBuffer.wrap(message).putInt(0, i);
            assertEquals(message.length, ws.send(root, message, message.length, 0));
        }
        byte[] buffer = new byte[64];
        for (int i = 0; i < READ_MESSAGES; ) {
            assertEquals("message " + i + " of " + READ_MESSAGES + ": FD_READ was not reported again",
                    WSA_WAIT_EVENT_0, ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {event}, false, READ_WAIT_MILLIS,
                            false));
            ws.WSAResetEvent(event);
            int n = ws.recv(leaf, buffer, buffer.length, 0);
            if (n == SOCKET_ERROR) { // a signal may precede its message only by the arrival it reports
                assertEquals(WSAEWOULDBLOCK, ws.WSAGetLastError());
                continue;
            }
            assertEquals(message.length, n);
            assertEquals("in order", i, ByteBuffer.wrap(buffer).getInt(0));
            i++;
        }
        assertEquals(SOCKET_ERROR, ws.recv(leaf, buffer, buffer.length, 0));
        assertEquals(WSAEWOULDBLOCK, ws.WSAGetLastError());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
