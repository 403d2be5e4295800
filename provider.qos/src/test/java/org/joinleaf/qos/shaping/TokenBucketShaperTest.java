package org.joinleaf.qos.shaping;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/**
 * Shaping of a sending flow (issue 5 item 3; §5 TokenRate, TokenBucketSize, PeakBandwidth), on a fake clock: the
 * long-term rate, the burst the bucket allows, the peak limit, and the answers a non-blocking caller relies on.
 */
public class TokenBucketShaperTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;

    /** One send the shaper allowed. */
    private static final class Send {
        final long at;
        final int bytes;

        Send(long at, int bytes) {
            this.at = at;
            this.bytes = bytes;
        }
    }

    /**
     * A greedy sender on a fake clock starting at {@code start}: sends whenever allowed, otherwise advances the clock
     * by exactly the wait it was told, and checks that the wait was enough. Runs for {@code duration} ns.
     */
    private static List<Send> greedy(TokenBucketShaper shaper, long start, long duration, Random chunks, int maxChunk) {
        List<Send> sends = new ArrayList<>();
        long now = start;
        int chunk = 1 + chunks.nextInt(maxChunk);
        while (now - start < duration) {
            long wait = shaper.tryAcquire(chunk, now);
            if (wait != 0) {
                assertTrue("a wait is positive", wait > 0);
                now += wait;
                assertEquals("waiting the time returned is enough", 0, shaper.tryAcquire(chunk, now));
            }
            sends.add(new Send(now, chunk));
            chunk = 1 + chunks.nextInt(maxChunk);
        }
        return sends;
    }

    private static long total(List<Send> sends) {
        return sends.stream().mapToLong(s -> s.bytes).sum();
    }

    /** Over every window [t1, t2] of send times: bytes <= allowance + rate * (t2 - t1), in exact integer arithmetic. */
    private static void assertArrivalCurve(String rule, List<Send> sends, long allowance, long rate) {
        for (int i = 0; i < sends.size(); i++) {
            long bytes = 0;
            for (int j = i; j < sends.size(); j++) {
                bytes += sends.get(j).bytes;
                long elapsed = sends.get(j).at - sends.get(i).at;
                assertTrue(rule + ": " + bytes + " bytes in " + elapsed + " ns",
                        bytes * SECOND <= allowance * SECOND + rate * elapsed);
            }
        }
    }

    private void assertLongTermRate(long rate, long bucket, int maxChunk, long start) {
        assertLongTermRate(rate, bucket, maxChunk, start, 10 * SECOND);
    }

    private void assertLongTermRate(long rate, long bucket, int maxChunk, long start, long duration) {
        TokenBucketShaper shaper = new TokenBucketShaper();
        shaper.configure(rate, bucket, 0);
        List<Send> sends = greedy(shaper, start, duration, new Random(rate), maxChunk);
        long end = sends.get(sends.size() - 1).at;
        long allowed = bucket + rate * (end - start) / SECOND;
        long sent = total(sends);
        assertTrue("rate " + rate + ": sent " + sent + " > allowed " + allowed, sent <= allowed);
        assertTrue("rate " + rate + ": sent " + sent + " < allowed - one chunk " + allowed, sent >= allowed - maxChunk);
    }

    @Test
    public void rateIsExactAt64KiBPerSecond() {
        assertLongTermRate(64 * KIB, 8 * KIB, 1460, 0);
    }

    @Test
    public void rateIsExactAt1MiBPerSecond() {
        assertLongTermRate(MIB, 100 * KIB, 16 * KIB, 12345);
    }

    @Test
    public void rateIsExactAt10MiBPerSecond() {
        assertLongTermRate(10 * MIB, MIB, 64 * KIB, 0);
    }

    @Test
    public void rateDoesNotDriftWithChunksThatDoNotDivideTheRate() {
        // ~1 GB/s (a prime) in chunks of 1-3 bytes: each chunk lasts 1-3 ns, so dropping the fractions of a
        // nanosecond would be a drift of tens of percent. (The bucket is larger than a chunk so that it absorbs
        // the sender's lateness on a whole-nanosecond clock, as it would on a real one.)
        assertLongTermRate(999_999_937, 64, 3, 0, SECOND / 1_000);
        assertLongTermRate(7, 3, 3, 0);
    }

    @Test
    public void clockWrapAroundIsHandled() {
        // System.nanoTime may be near Long.MAX_VALUE; only differences are meaningful
        assertLongTermRate(MIB, 64 * KIB, 4 * KIB, Long.MAX_VALUE - 3 * SECOND);
    }

    @Test
    public void bucketStartsFullAndAllowsExactlyItsSizeAtOnce() {
        TokenBucketShaper shaper = new TokenBucketShaper();
        shaper.configure(64 * KIB, 8 * KIB, 0);
        long now = 5 * SECOND;
        for (int i = 0; i < 8; i++) {
            assertEquals("chunk " + i + " of the burst", 0, shaper.tryAcquire(KIB, now));
        }
        assertEquals("the next KiB waits 1/64 s", SECOND / 64, shaper.tryAcquire(KIB, now));
        assertEquals("a refused acquire takes nothing", SECOND / 64, shaper.tryAcquire(KIB, now));
    }

    @Test
    public void idleTimeDoesNotBuildMoreThanOneBucket() {
        TokenBucketShaper shaper = new TokenBucketShaper();
        shaper.configure(1_000, 2_000, 0);
        assertEquals(0, shaper.tryAcquire(2_000, 0));
        long later = 100 * SECOND;
        assertEquals(0, shaper.tryAcquire(2_000, later));
        assertEquals("after 100 s idle still only one bucket", SECOND, shaper.tryAcquire(1_000, later));
    }

    @Test
    public void burstsNeverExceedTheBucketBeyondTheRate() {
        TokenBucketShaper shaper = new TokenBucketShaper();
        shaper.configure(10_000, 4_000, 0);
        Random random = new Random(42);
        List<Send> sends = new ArrayList<>();
        long now = 0;
        // An irregular sender: idles at random, then tries random chunk sizes
        for (int i = 0; i < 1_500; i++) {
            now += random.nextInt(3) == 0 ? random.nextInt((int) (SECOND / 2)) : 0;
            int chunk = 1 + random.nextInt(4_000);
            long wait = shaper.tryAcquire(chunk, now);
            if (wait == 0) {
                sends.add(new Send(now, chunk));
            } else {
                now += random.nextBoolean() ? wait : wait / 2;
            }
        }
        assertTrue(sends.size() > 100);
        assertArrivalCurve("TokenBucketSize + TokenRate * t", sends, 4_000, 10_000);
    }

    @Test
    public void peakBandwidthSpacesABurst() {
        TokenBucketShaper shaper = new TokenBucketShaper();
        shaper.configure(1_000, 10_000, 2_000);
        assertEquals(0, shaper.tryAcquire(1_000, 0));
        assertEquals("the bucket has tokens but the peak allows 1000 bytes per 0.5 s", SECOND / 2,
                shaper.tryAcquire(1_000, 0));
        assertEquals(0, shaper.tryAcquire(1_000, SECOND / 2));
    }

    @Test
    public void peakAndBucketBothHoldForAGreedySender() {
        TokenBucketShaper shaper = new TokenBucketShaper();
        shaper.configure(1_000, 10_000, 4_000);
        int maxChunk = 500;
        List<Send> sends = greedy(shaper, 0, 20 * SECOND, new Random(7), maxChunk);
        assertArrivalCurve("PeakBandwidth", sends, maxChunk, 4_000);
        assertArrivalCurve("TokenBucketSize + TokenRate * t", sends, 10_000, 1_000);
        long end = sends.get(sends.size() - 1).at;
        assertTrue("the long-term rate is TokenRate", total(sends) >= 10_000 + end / 1_000_000 - maxChunk);
    }

    @Test
    public void reconfigurationKeepsDebtAndAppliesTheNewRate() {
        TokenBucketShaper shaper = new TokenBucketShaper();
        shaper.configure(1_000, 1_000, 0);
        assertEquals(0, shaper.tryAcquire(1_000, 0));
        shaper.configure(2_000, 1_000, 0);
        assertEquals("the debt of the old rate is kept", SECOND, shaper.tryAcquire(1_000, 0));
        assertEquals(0, shaper.tryAcquire(1_000, SECOND));
        assertEquals("the new rate refills 1000 bytes in 0.5 s", SECOND / 2, shaper.tryAcquire(1_000, SECOND));
    }

    @Test
    public void unlimitedAndZeroByteAcquiresNeverWait() {
        TokenBucketShaper shaper = new TokenBucketShaper();
        assertTrue(shaper.isUnlimited());
        assertEquals(Integer.MAX_VALUE, shaper.maxAcquire());
        assertEquals(0, shaper.tryAcquire(Integer.MAX_VALUE, 0));
        shaper.configure(1, 1, 0);
        assertEquals(0, shaper.tryAcquire(0, 0));
        assertEquals(0, shaper.tryAcquire(1, 0));
        assertEquals(SECOND, shaper.tryAcquire(1, 0));
        shaper.configureUnlimited();
        assertEquals(0, shaper.tryAcquire(1, 0));
    }

    @Test(expected = IllegalArgumentException.class)
    public void aChunkLargerThanTheBucketIsRefused() {
        TokenBucketShaper shaper = new TokenBucketShaper();
        shaper.configure(1_000, 1_500, 0);
        assertEquals(1_500, shaper.maxAcquire());
        shaper.tryAcquire(1_501, 0);
    }

    @Test(expected = IllegalArgumentException.class)
    public void aPeakBelowTheRateIsRefused() {
        new TokenBucketShaper().configure(2_000, 1_000, 1_000);
    }
}
