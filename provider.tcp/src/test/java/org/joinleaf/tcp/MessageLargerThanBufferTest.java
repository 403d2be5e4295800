package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.Arrays;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.junit.Test;

/**
 * Decision 27 over this provider's reliable message entries ({@code XP1_GUARANTEED_DELIVERY}), through the real
 * runtime: a message larger than the receive buffer fills it with the head and fails with WSAEMSGSIZE, and the whole
 * message stays for a receive with a buffer large enough (recv's documentation: "for reliable protocols, the data is
 * retained"); WSARecv the same, without MSG_PARTIAL (the entries lack XP1_PARTIAL_MESSAGE).
 */
public class MessageLargerThanBufferTest extends RuntimeOverTcp {
    private static final byte[] MESSAGE = "twenty-byte message!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    public void aLargerMessageIsMsgSizeAndStaysForALargerBuffer() throws Exception {
        SOCKET root = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0,
                WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT);
        SOCKADDR at = SOCKADDR.of("127.0.0.1", 0);
        assertEquals(0, ws.bind(root, at, at.size()));
        assertEquals(0, ws.listen(root, SOMAXCONN));
        SOCKADDR rootAddress = new SOCKADDR();
        assertEquals(0, ws.getsockname(root, rootAddress, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE}));
        SOCKET leaf = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0,
                WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF);
        Future<SOCKET> joined = background.submit(() -> ws.WSAJoinLeaf(leaf, rootAddress, rootAddress.size(), null,
                null, null, null, JL_BOTH));
        SOCKET link = ws.WSAAccept(root, null, null, null, 0);
        assertNotEquals("WSAAccept: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, link);
        assertEquals(leaf, joined.get(10, TimeUnit.SECONDS));

        assertEquals(MESSAGE.length, ws.send(root, MESSAGE, MESSAGE.length, 0));
        byte[] small = new byte[8];
        assertEquals(SOCKET_ERROR, ws.recv(leaf, small, small.length, 0));
        assertEquals(WSAEMSGSIZE, ws.WSAGetLastError());
        assertArrayEquals(Arrays.copyOf(MESSAGE, 8), small);
        WSABUF[] two = {WSABUF.allocate(4), WSABUF.allocate(4)};
        int[] got = new int[1];
        int[] flags = {0};
        assertEquals(SOCKET_ERROR, ws.WSARecv(leaf, two, 2, got, flags, null, null));
        assertEquals(WSAEMSGSIZE, ws.WSAGetLastError());
        assertEquals(8, got[0]);
        assertEquals(0, flags[0]);
        byte[] big = new byte[64];
        assertEquals("the whole message, kept", MESSAGE.length, ws.recv(leaf, big, big.length, 0));
        assertArrayEquals(MESSAGE, Arrays.copyOf(big, MESSAGE.length));
    }
}
