package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.FD_SET;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.TIMEVAL;
import org.junit.Test;

/**
 * Issue 13, select: a socket whose last send would have blocked is not writable until its provider reports room
 * (FD_WRITE), so a ported select loop waits instead of spinning on WSAEWOULDBLOCK; a select blocked on it wakes
 * when room returns.
 */
public class SelectWritableTest extends ScriptedRuntimeTest {

    @Test
    public void aFullSendBufferIsNotWritableUntilRoomIsReported() throws Exception {
        SOCKET s = nonBlocking(socket(AF_INET, NP_TYPE, 0, 0));
        FD_SET write = new FD_SET();
        FD_SET(s, write);
        assertEquals(1, ws.select(0, null, write, null, new TIMEVAL(0, 0)));
        ScriptedProvider.ScriptedSocket t = np.lastSocket();
        t.sendBufferFull(true);
        assertFails(WSAEWOULDBLOCK, ws.sendto(s, new byte[] {1}, 1, 0, LEAF_A, IN_LEN));
        FD_SET(s, write);
        assertEquals("no room: not writable", 0, ws.select(0, null, write, null, new TIMEVAL(0, 0)));
        FD_SET(s, write);
        Future<Integer> waiting = background.submit(() -> ws.select(0, null, write, null, null));
        t.sendBufferFull(false); // FD_WRITE
        assertEquals(1, (int) waiting.get(ScriptedProvider.WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(FD_ISSET(s, write));
    }
}
