package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAEVENT;
import org.junit.Test;

/**
 * The last {@code WSACleanup} (decisions 13) and the lifetime of event objects: cleanup closes every socket
 * without notifications, so no event object is signalled by the closing (decisions 17); event objects live until
 * {@code WSACloseEvent}, across cleanup and a new startup, as on Windows (decisions 18).
 */
public class CleanupTest extends ScriptedRuntimeTest {

    @Test
    public void lastCleanupSignalsNoEventOfTheSocketsItCloses_decisions13_decisions17() {
        // each transport, when closed, reports FD_CLOSE on the other (closing a root ends its leaf's session):
        // whichever the cleanup closes first, the other is still open at that moment
        SOCKET a = npLeaf();
        ScriptedProvider.ScriptedSocket ta = np.lastSocket();
        SOCKET b = npLeaf();
        ScriptedProvider.ScriptedSocket tb = np.lastSocket();
        ta.onClose(() -> tb.post(FD_CLOSE_BIT, 0));
        tb.onClose(() -> ta.post(FD_CLOSE_BIT, 0));
        WSAEVENT ea = select(a, FD_CLOSE);
        WSAEVENT eb = select(b, FD_CLOSE);

        assertOk(ws.WSACleanup());
        assertEquals(1, ta.closes());
        assertEquals(1, tb.closes());
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        assertEquals("no event object was signalled by the cleanup", WSA_WAIT_TIMEOUT,
                ws.WSAWaitForMultipleEvents(2, new WSAEVENT[] {ea, eb}, false, 0, false));
    }

    @Test
    public void eventObjectsLiveAcrossCleanupUntilCloseEvent_decisions18() {
        WSAEVENT e = ws.WSACreateEvent();
        assertOk(ws.WSACleanup());
        assertFalse("between cleanup and startup every call is WSANOTINITIALISED (R1)", ws.WSASetEvent(e));
        assertLastError(WSANOTINITIALISED);

        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        assertTrue("the handle is still valid", ws.WSASetEvent(e));
        assertTrue(isSignalled(e));
        SOCKET s = npLeaf();
        assertOk(ws.WSAEventSelect(s, e, FD_READ)); // and usable for a new socket
        assertTrue(ws.WSACloseEvent(e));
        assertFalse("closed by WSACloseEvent only", ws.WSASetEvent(e));
        assertLastError(WSA_INVALID_HANDLE);
    }
}
