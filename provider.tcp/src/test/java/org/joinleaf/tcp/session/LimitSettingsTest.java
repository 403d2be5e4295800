package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.joinleaf.tcp.session.LimitCounters.Limit;
import org.junit.Test;

/** The limits' settings and their bookkeeping, without connections. */
public class LimitSettingsTest {
    private static final InetAddress A = InetAddress.getLoopbackAddress();
    private static final InetAddress B;

    static {
        try {
            B = InetAddress.getByName("127.0.0.2");
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static void invalid(String why, Consumer<SessionSettings.Builder> change) {
        SessionSettings.Builder b = SessionSettings.builder();
        change.accept(b);
        try {
            b.build();
            fail(why + " must be refused");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().length() > 10);
        }
    }

    @Test // reliability.md: the heartbeat is mandatory (min 1 ms, 0 no longer disables); limits validated
    public void invalidLimitsAreRefused() {
        SessionSettings.defaults(); // the defaults are valid
        invalid("heartbeat interval 0", b -> b.heartbeatIntervalMillis = 0);
        invalid("heartbeat timeout 0", b -> b.heartbeatTimeoutMillis = 0);
        invalid("interval >= timeout", b -> b.heartbeatIntervalMillis = b.heartbeatTimeoutMillis);
        invalid("join rate 0", b -> b.maxJoinRatePerSource = 0);
        invalid("pending per source 0", b -> b.maxPendingHandshakesPerSource = 0);
        invalid("per source over total", b -> b.maxPendingHandshakesPerSource = b.maxPendingHandshakes + 1);
        invalid("leaves per root below 0", b -> b.maxLeavesPerRoot = -1); // 0 means derived (DerivedLimitsTest)
        invalid("receive queue bytes below 0", b -> b.receiveQueueBytes = -1);
        invalid("received bytes below 0", b -> b.maxReceivedBytes = -1);
        invalid("per-socket receive bytes over the total", b -> {
            b.receiveQueueBytes = 2048;
            b.maxReceivedBytes = 1024;
        });
        invalid("queued bytes below one slow leaf's backlog", b -> b.maxQueuedBytes = 2L * b.writeBufferHighWaterMark - 1);
    }

    @Test // reliability.md join flood: maxJoinRatePerSource: burst = rate, refill with time, one bucket per source
    public void tokenBucketPerSource() {
        JoinRateLimiter limiter = new JoinRateLimiter(2);
        long t = 1_000_000_000L;
        assertTrue(limiter.tryAcquire(A, t));
        assertTrue(limiter.tryAcquire(A, t));
        assertFalse("burst of 2 used up", limiter.tryAcquire(A, t));
        assertTrue("another source has its own bucket", limiter.tryAcquire(B, t));
        assertFalse("a quarter second refills half a token", limiter.tryAcquire(A, t + TimeUnit.MILLISECONDS.toNanos(250)));
        assertTrue("half a second refills one", limiter.tryAcquire(A, t + TimeUnit.MILLISECONDS.toNanos(500)));
        assertFalse(limiter.tryAcquire(A, t + TimeUnit.MILLISECONDS.toNanos(500)));
        long later = t + TimeUnit.SECONDS.toNanos(60);
        assertTrue("the burst never exceeds the rate", limiter.tryAcquire(A, later));
        assertTrue(limiter.tryAcquire(A, later));
        assertFalse(limiter.tryAcquire(A, later));
    }

    // reliability.md join flood: maxPendingHandshakesPerSource / maxPendingHandshakes: counted, released, the table
    // empties
    @Test
    public void handshakeGateCountsPerSourceAndInAll() {
        HandshakeGate gate = new HandshakeGate(2, 3);
        assertNull(gate.tryOpen(A));
        assertNull(gate.tryOpen(A));
        assertEquals(Limit.PENDING_HANDSHAKES_PER_SOURCE, gate.tryOpen(A));
        assertNull(gate.tryOpen(B));
        assertEquals(Limit.PENDING_HANDSHAKES, gate.tryOpen(B));
        assertEquals(3, gate.pending());
        gate.close(A);
        assertNull("a released place is free again", gate.tryOpen(A));
        gate.close(A);
        gate.close(A);
        gate.close(B);
        assertEquals(0, gate.pending());
    }

    @Test // reliability.md join flood: refusals are counted even when their log lines are summarised
    public void everyRefusalIsCounted() {
        LimitCounters counters = new LimitCounters();
        for (int i = 0; i < 1000; i++) {
            counters.refused(Limit.JOIN_RATE, "test refusal " + i);
        }
        counters.evicted("test eviction", 5000, 7);
        counters.evicted("test eviction", 3000, 9);
        assertEquals(1000, counters.count(Limit.JOIN_RATE));
        assertEquals(2, counters.count(Limit.SLOW_LEAF));
        assertEquals(5000, counters.largestEvictedBacklog());
        assertEquals(9, counters.largestEvictionDelayNanos());
        assertEquals(0, counters.count(Limit.QUEUED_BYTES));
    }
}
