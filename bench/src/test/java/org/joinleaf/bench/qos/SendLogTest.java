package org.joinleaf.bench.qos;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The window analysis behind the shaping benchmark's burst figures (issue 5 item 6). */
public class SendLogTest {

    @Test // a burst at t=0 then one send every 100 ms: a 100 ms window holds the burst plus the next send
    public void maxBytesInWindowCountsEverySendInAClosedInterval() {
        SendLog log = new SendLog(16);
        for (int i = 0; i < 4; i++) {
            log.record(0, 100);
        }
        for (int i = 1; i <= 5; i++) {
            log.record(i * 100_000_000L, 100);
        }
        assertEquals(500, log.maxBytesInWindow(100_000_000L));
        assertEquals(400, log.maxBytesInWindow(99_999_999L));
        assertEquals(900, log.maxBytesInWindow(1_000_000_000L));
        assertEquals(900, log.bytes());
        assertTrue(log.complete());
    }

    @Test // bounded: sends past the capacity are counted but not logged, and the log says so
    public void sendsPastTheCapacityAreCountedNotLogged() {
        SendLog log = new SendLog(2);
        for (int i = 0; i < 3; i++) {
            log.record(i, 10);
        }
        assertEquals(3, log.messages());
        assertEquals(30, log.bytes());
        assertFalse(log.complete());
        assertEquals(20, log.maxBytesInWindow(10));
    }

    @Test
    public void emptyLogHasNoBurst() {
        assertEquals(0, new SendLog(4).maxBytesInWindow(1000));
    }

    @Test // the benchmark's explanation of a shortfall: time the sender spent away beyond what the bucket covers
    public void gapsBeyondTheAllowanceAddUp() {
        SendLog log = new SendLog(8);
        log.record(0, 1);
        log.record(10, 1);
        log.record(50, 1);
        log.record(55, 1);
        assertEquals(40, log.longestGapNanos());
        assertEquals((10 - 5) + (40 - 5), log.gapsBeyondNanos(5));
        assertEquals(0, log.gapsBeyondNanos(40));
    }
}
