package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
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

    @Test(timeout = 90_000) // the races of both lock-free cases, live: a provider posting only when its queue turns
    // non-empty, two readers each waiting on the event, reading the record (racing the other's receives) and draining
    public void twoReadersGetEveryMessageOfAProviderPostingOnlyOnTransitions_decisions31_54() throws Exception {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_READ);
        ScriptedProvider.ScriptedSocket t = np.lastSocket();
        int total = 20_000;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        AtomicInteger received = new AtomicInteger();
        AtomicReference<String> stranded = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < total && stranded.get() == null && System.nanoTime() < deadline; ) {
                if (t.queued() >= ScriptedProvider.MAX_QUEUED / 2) {
                    Thread.onSpinWait();
                    continue;
                }
                t.deliverPostingOnTransition(new byte[] {(byte) i++});
            }
        });
        Runnable reader = () -> {
            byte[] buf = new byte[8];
            WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
            int quietWaits = 0;
            while (received.get() < total && stranded.get() == null && System.nanoTime() < deadline) {
                int before = received.get();
                if (ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {e}, false, 1000, false) == WSA_WAIT_TIMEOUT) {
                    // data queued, nothing received and nothing signalled for two waits: a report was lost
                    quietWaits = t.available() > 0 && received.get() == before ? quietWaits + 1 : 0;
                    if (quietWaits == 2) {
                        stranded.set(t.queued() + " messages queued and FD_READ neither recorded nor signalled");
                    }
                    continue;
                }
                quietWaits = 0;
                ws.WSAEnumNetworkEvents(s, e, ne);
                if ((ne.lNetworkEvents & FD_READ) == 0) { // as a strict application: reads only on FD_READ
                    continue;
                }
                while (ws.recv(s, buf, buf.length, 0) == 1) {
                    received.incrementAndGet();
                }
            }
        };
        Thread a = new Thread(reader);
        Thread b = new Thread(reader);
        a.start();
        b.start();
        producer.start();
        producer.join(TimeUnit.SECONDS.toMillis(70));
        a.join(TimeUnit.SECONDS.toMillis(70));
        b.join(TimeUnit.SECONDS.toMillis(70));
        assertNull(stranded.get());
        assertEquals("every message read, none left unreported", total, received.get());
    }
}
