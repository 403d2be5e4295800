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

    // The stall seen at N=1000, 1 KiB (maxReceivedBytes pausing most leaves): a retry that finds the budget above its
    // low mark again (a paused connection's frames charged it meanwhile) waits again. The credit that ran it must not
    // run it again in the same pass: it used to iterate the live waiting set, met the re-registered retry again and
    // spun there for as long as the budget stayed up, so the reading thread never took its own queues down.
    @Test(timeout = 60_000)
    public void aRetryThatWaitsAgainRunsOncePerDrain() {
        MemoryBudget b = new MemoryBudget("maxReceivedBytes", 1000);
        int feeders = 2000; // many waiting queues: the set's bins hold several each
        int[] runs = new int[feeders];
        boolean[] landed = {false};
        Runnable[] retries = new Runnable[feeders];
        b.charge(1000);
        for (int i = 0; i < feeders; i++) {
            int id = i;
            retries[i] = () -> {
                if (++runs[id] > 3) {
                    return; // bounded: a failing run ends and is reported below
                }
                if (!landed[0]) {
                    landed[0] = true;
                    b.charge(600); // another connection's read lands: above the low mark again
                }
                if (!b.drained()) {
                    b.whenDrained(retries[id]);
                }
            };
            b.whenDrained(retries[i]);
        }
        assertTrue("this credit reached the low mark", b.credit(500));
        for (int i = 0; i < feeders; i++) {
            assertEquals("feeder " + i + " runs once for one drain", 1, runs[i]);
        }
        landed[0] = false;
        assertTrue(b.credit(600)); // the next drain retries each of them once more
        for (int i = 0; i < feeders; i++) {
            assertEquals("feeder " + i + " runs once for the second drain", 2, runs[i]);
        }
    }

    // decision 48: a receive queue's step is taken only when it fits the total; a refused charge takes nothing
    @Test
    public void aTriedChargeTakesOnlyWhatFits() {
        MemoryBudget b = new MemoryBudget("maxReceivedBytes", 1000);
        assertTrue(b.tryCharge(600));
        assertFalse("600 + 401 > 1000", b.tryCharge(401));
        assertEquals("the refused charge took nothing", 600, b.used());
        assertTrue(b.tryCharge(400));
        assertEquals(1000, b.used());
    }
}
