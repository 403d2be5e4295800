package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/**
 * Issue 11 deliverable 1, the budget every peer-held byte is charged to: over at its limit, room again at its low
 * mark, and a paused feeder's retry runs exactly once when the budget drains, even when the drain races its
 * registration (a lost wake-up would leave a connection unread for good).
 */
public class MemoryBudgetTest {

    @Test
    public void overAtTheLimitDrainedAtTheLowMark() {
        MemoryBudget b = new MemoryBudget("receiveQueueBytes", 1000);
        assertFalse(b.charge(999));
        assertFalse(b.over());
        assertTrue("this charge crossed the limit", b.charge(1));
        assertTrue(b.over());
        assertFalse("still above half", b.credit(400));
        assertFalse(b.drained());
        assertTrue("this credit reached the low mark", b.credit(100));
        assertTrue(b.drained());
        assertEquals(500, b.used());
    }

    @Test
    public void aWaitingFeederIsRetriedOnceWhenTheBudgetDrains() {
        MemoryBudget b = new MemoryBudget("maxReceivedBytes", 1000);
        AtomicInteger retries = new AtomicInteger();
        Runnable retry = retries::incrementAndGet;
        b.charge(1000);
        b.whenDrained(retry);
        b.whenDrained(retry); // the same feeder twice: one retry
        assertEquals(0, retries.get());
        b.credit(400);
        assertEquals("not drained yet", 0, retries.get());
        b.credit(200);
        assertEquals(1, retries.get());
        b.credit(100);
        assertEquals("run once, not on every later credit", 1, retries.get());
        b.whenDrained(retry);
        assertEquals("registering when already drained runs it at once", 2, retries.get());
    }
}
