package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.junit.Test;

/**
 * Decision 54 on decision 31: a receive that would change nothing by re-arming and recording FD_READ takes no lock,
 * and stays exact: a post racing it is not lost, and a receive leaving data still signals the event object.
 */
public class ReadReReportTest extends ScriptedRuntimeTest {

    @Test // FD_READ armed and nothing left: the receive returns without a lock; a message whose post came right
    // after its look (FD_READ armed, so the post records it) is reported
    public void aPostRightAfterTheLookOfAReceiveFindingNothingIsReported_decision54() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_READ);
        ScriptedProvider.ScriptedSocket t = np.lastSocket();
        byte[] buf = new byte[8];
        t.deliver(new byte[] {1});
        assertEquals(FD_READ, events(s, e).lNetworkEvents); // read: FD_READ disarmed until a receive
        assertEquals(1, ws.recv(s, buf, buf.length, 0)); // leaves nothing: this one must re-arm (it locks)
        t.deliver(new byte[] {2});
        assertEquals("re-armed by the receive that emptied the queue", FD_READ, events(s, e).lNetworkEvents);
        assertEquals(1, ws.recv(s, buf, buf.length, 0));
        assertFails(WSAEWOULDBLOCK, ws.recv(s, buf, buf.length, 0)); // FD_READ armed, nothing queued
        t.afterNextLook(() -> t.deliver(new byte[] {7}));
        assertFails(WSAEWOULDBLOCK, ws.recv(s, buf, buf.length, 0)); // looked at an empty queue, then {7} came
        assertTrue(isSignalled(e));
        assertEquals("the message that came after the look is reported", FD_READ, events(s, e).lNetworkEvents);
        assertEquals(1, ws.recv(s, buf, buf.length, 0));
        assertEquals(7, buf[0]);
    }

    @Test // the fan-out reader's loop: reset the shared event, drain with non-blocking recv; FD_READ recorded and
    // unread with data left is re-reported without a lock, and the event object is signalled again
    public void aDrainAfterAResetSignalsTheEventAgainWhileDataIsLeft_decisions31_54() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_READ);
        ScriptedProvider.ScriptedSocket t = np.lastSocket();
        for (int i = 1; i <= 3; i++) {
            t.deliver(new byte[] {(byte) i});
        }
        assertTrue(isSignalled(e));
        assertTrue(ws.WSAResetEvent(e));
        byte[] buf = new byte[8];
        assertEquals(1, ws.recv(s, buf, buf.length, 0));
        assertTrue("a receive leaving data signals the event object again", isSignalled(e));
        assertTrue(ws.WSAResetEvent(e));
        assertEquals(1, ws.recv(s, buf, buf.length, 0));
        assertTrue(isSignalled(e));
        assertEquals(FD_READ, events(s, e).lNetworkEvents);
        assertEquals(1, ws.recv(s, buf, buf.length, 0));
        assertEquals(3, buf[0]);
        assertFails(WSAEWOULDBLOCK, ws.recv(s, buf, buf.length, 0));
        assertEquals("drained: nothing more to report", 0, events(s, e).lNetworkEvents);
        t.deliver(new byte[] {4});
        assertEquals("re-armed by the drain: the next arrival is reported", FD_READ, events(s, e).lNetworkEvents);
    }
}
