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

    private static void invalid(String why, Consumer<TcpSettings.Builder> change) {
        TcpSettings.Builder b = TcpSettings.builder();
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
        TcpSettings.defaults(); // the defaults are valid
        invalid("heartbeat interval 0", b -> b.heartbeatIntervalMillis = 0);
        invalid("heartbeat timeout 0", b -> b.heartbeatTimeoutMillis = 0);
        invalid("interval >= timeout", b -> b.heartbeatIntervalMillis = b.heartbeatTimeoutMillis);
        invalid("join rate 0", b -> b.maxJoinRatePerSource = 0);
        invalid("opening frame timeout 0", b -> b.openingFrameTimeoutMillis = 0);
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

    @Test // issue 11 fairness: the opening frame's deadline is openingFrameTimeoutMillis, never past the join's
    public void openingDeadlineIsAtMostTheJoinDeadline() {
        TcpSettings.Builder b = TcpSettings.builder();
        assertEquals(1000, b.build().openingDeadlineMillis());
        b.joinTimeoutMillis = 500;
        assertEquals(500, b.build().openingDeadlineMillis());
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

    private static InetAddress ip(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Handshake handshake(HandshakeGate gate, InetAddress source) {
        return new Handshake(gate, source, 1000, new LimitCounters());
    }

    // reliability.md join flood: maxPendingHandshakesPerSource / maxPendingHandshakes: counted, released, the table
    // empties; issue 11: over the total the oldest of the busiest prefix makes room instead of refusing the newest
    @Test
    public void handshakeGateCountsPerSourceAndInAll() {
        HandshakeGate gate = new HandshakeGate(2, 3);
        Handshake a1 = handshake(gate, A);
        Handshake a2 = handshake(gate, A);
        assertEquals(HandshakeGate.Admission.OPEN, gate.tryOpen(a1));
        assertEquals(HandshakeGate.Admission.OPEN, gate.tryOpen(a2));
        assertEquals(Limit.PENDING_HANDSHAKES_PER_SOURCE, gate.tryOpen(handshake(gate, A)).refused());
        Handshake b1 = handshake(gate, B);
        assertEquals(HandshakeGate.Admission.OPEN, gate.tryOpen(b1));
        Handshake b2 = handshake(gate, B);
        HandshakeGate.Admission full = gate.tryOpen(b2);
        assertNull("all places taken: the newcomer is admitted", full.refused());
        assertTrue("and the oldest of the (one) busiest prefix gave its place", full.dropped() == a1);
        assertEquals(3, gate.pending());
        gate.close(a1); // the dropped one ending again changes nothing
        assertEquals(3, gate.pending());
        gate.close(a2);
        Handshake a3 = handshake(gate, A);
        assertEquals("a released place is free again", HandshakeGate.Admission.OPEN, gate.tryOpen(a3));
        gate.close(a3);
        gate.close(b1);
        gate.close(b2);
        assertEquals(0, gate.pending());
    }

    @Test // issue 11 fairness under floods: prefixes are /24 (IPv4) and /64 (IPv6); the busiest one pays
    public void fullGateDropsTheOldestOfTheBusiestPrefix() {
        HandshakeGate gate = new HandshakeGate(10, 6);
        Handshake[] flood = new Handshake[4];
        for (int i = 0; i < flood.length; i++) {
            flood[i] = handshake(gate, ip("127.0.1." + (i + 1))); // one /24, four sources
            assertEquals(HandshakeGate.Admission.OPEN, gate.tryOpen(flood[i]));
        }
        Handshake v6a = handshake(gate, ip("fd00:0:0:1::1"));
        Handshake v6b = handshake(gate, ip("fd00:0:0:1:ffff::2")); // same /64
        assertEquals(HandshakeGate.Admission.OPEN, gate.tryOpen(v6a));
        assertEquals(HandshakeGate.Admission.OPEN, gate.tryOpen(v6b));
        assertEquals(2, gate.pendingInPrefixOf(ip("fd00:0:0:1:1234::9")));
        assertEquals(4, gate.pendingInPrefixOf(ip("127.0.1.200")));
        HandshakeGate.Admission legit = gate.tryOpen(handshake(gate, ip("127.0.2.1")));
        assertTrue("the flood's oldest makes room, not the IPv6 pair", legit.dropped() == flood[0]);
        HandshakeGate.Admission next = gate.tryOpen(handshake(gate, ip("127.0.1.9")));
        assertTrue("the flood recycles its own places", next.dropped() == flood[1]);
        assertEquals(6, gate.pending());
        assertEquals(2, gate.pendingInPrefixOf(v6a.source()));
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
