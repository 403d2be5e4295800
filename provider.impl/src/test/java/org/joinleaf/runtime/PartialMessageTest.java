package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.Arrays;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.junit.Test;

/**
 * Issue 13, deliverable 1: WSARecv on a message-oriented entry that allows partial messages
 * ({@code XP1_MESSAGE_ORIENTED | XP1_PARTIAL_MESSAGE}): a message larger than the buffers comes in pieces, each
 * but the last flagged {@code MSG_PARTIAL}; nothing is lost. On an entry without XP1_PARTIAL_MESSAGE the same
 * message is WSAEMSGSIZE (ScatterGatherTest shows it on UDP).
 */
public class PartialMessageTest extends ScriptedRuntimeTest {

    @Test
    public void aLargeMessageComesInPiecesFlaggedPartial() {
        ScriptedProvider partial = ScriptedProvider.withoutJoin().entry("P-partial", AF_INET, SOCK_SEQPACKET, 0,
                XP1_MESSAGE_ORIENTED | XP1_PARTIAL_MESSAGE);
        catalog.add(partial, "P-partial", 0, 3L);
        SOCKET s = socket(AF_INET, SOCK_SEQPACKET, 0, 0);
        partial.lastSocket().deliver(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        partial.lastSocket().deliver(new byte[] {11});
        byte[] whole = new byte[0];
        int[] got = new int[1];
        int[] flags = new int[1];
        int[] expectFlags = {MSG_PARTIAL, MSG_PARTIAL, 0};
        for (int expected : expectFlags) {
            WSABUF[] b = {WSABUF.allocate(2), WSABUF.allocate(2)};
            flags[0] = 0;
            assertOk(ws.WSARecv(s, b, 2, got, flags, null, null));
            assertEquals(expected, flags[0]);
            byte[] piece = new byte[got[0]];
            System.arraycopy(b[0].buf, 0, piece, 0, Math.min(2, got[0]));
            if (got[0] > 2) {
                System.arraycopy(b[1].buf, 0, piece, 2, got[0] - 2);
            }
            whole = concat(whole, piece);
        }
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, whole);
        WSABUF[] b = {WSABUF.allocate(4)};
        assertOk(ws.WSARecv(s, b, 1, got, flags, null, null));
        assertEquals("the next message follows whole", 1, got[0]);
        assertEquals(11, b[0].buf[0]);
        assertEquals(0, flags[0]);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
