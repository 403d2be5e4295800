package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.WsaException;
import org.junit.Test;

/**
 * Issue 11 deliverable 1 ("every byte a peer can make the gateway hold is charged"), found under the raw-JOIN attack
 * of the hostile suite: a fan-out frame is one shared buffer, so maxQueuedBytes counts it once, but every leaf's
 * queued write holds its own Netty bookkeeping on the heap. Non-reading members made about 26,000 such writes pin
 * 6.5 MB of the gateway's 32 MB heap while maxQueuedBytes saw 2 MB. They are now charged per leaf to a heap share
 * derived from -Xmx: past it a root's send fails with WSAENOBUFS and relaying leaves are not read.
 */
public class QueuedWriteHeapTest {
    private static final long MB = 1024L * 1024;

    @Test
    public void theWritesOfASharedFrameAreChargedPerLeafToTheHeapShare() throws Exception {
        long share = DerivedLimits.from(32 * MB, 32 * MB).queuedWriteHeap();
        assertEquals("heap / 8", 4 * MB, share);
        OutboundBudget budget = new OutboundBudget(8 * MB, 64 * 1024, share, new LimitCounters());
        int[] woken = new int[1];
        Runnable wake = () -> woken[0]++;
        int leaves = (int) (share / DerivedLimits.QUEUED_WRITE_HEAP_BYTES) + 1; // one frame: far under 8 MB
        OutboundBudget.Shared written = budget.chargeShared(69, leaves);
        assertEquals("one 69-byte frame, counted once", 69, budget.queued());
        assertEquals(leaves * (long) DerivedLimits.QUEUED_WRITE_HEAP_BYTES, budget.writeHeap());
        assertTrue("relaying leaves stop being read", budget.over());
        try {
            budget.check(69, wake);
            fail("a send past the writes' heap share must be refused");
        } catch (WsaException e) {
            assertEquals(Winsock2.WSAENOBUFS, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("heap / 8"));
            assertTrue("decision 50: a blocking caller waits", e.isWaitable());
        }
        try {
            budget.check(69, wake); // refused again: the same socket is owed one wake-up, not two
            fail("still over");
        } catch (WsaException e) {
            assertEquals(Winsock2.WSAENOBUFS, e.code());
        }
        assertEquals("nobody woken while the budget is full", 0, woken[0]);
        for (int i = 0; i < leaves; i++) {
            written.done(1);
        }
        assertEquals("decision 50: the refused socket woken once, at the low mark", 1, woken[0]);
        assertEquals(0, budget.writeHeap());
        assertEquals("the last leaf's write uncounts the frame", 0, budget.queued());
        assertFalse(budget.over());
        budget.check(69, wake); // room again
    }

    @Test
    public void theWritesHeapShareIsPartOfTheHeapWorstCase() {
        DerivedLimits gateway = DerivedLimits.from(32 * MB, 32 * MB);
        TcpSettings s = gateway.resolve(TcpSettings.defaults());
        long heap = gateway.worstCases(s).stream().filter(c -> c.memory().equals("heap"))
                .mapToLong(DerivedLimits.WorstCase::bytes).sum();
        assertTrue("derived heap worst case " + heap + " within half the heap", heap <= 16 * MB);
        assertTrue(gateway.worstCases(s).stream().anyMatch(c -> c.bytes() == gateway.queuedWriteHeap()
                && c.memory().equals("heap")));
    }
}
