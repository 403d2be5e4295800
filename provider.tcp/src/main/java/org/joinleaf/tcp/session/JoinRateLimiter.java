package org.joinleaf.tcp.session;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code maxJoinRatePerSource}: one token bucket per source IP, refilled at {@code rate} tokens per second up to a
 * burst of {@code rate}; each JOIN or INVITE takes a token. A bucket that has refilled completely is the same as no
 * bucket, so the table only holds sources seen within the last second; it is capped at {@link #MAX_SOURCES}
 * (when it is full of active sources, a new source is refused until some refill).
 */
final class JoinRateLimiter {
    /** Bound of the table: distinct sources that joined within about one second. */
    static final int MAX_SOURCES = 65_536;
    private static final long SWEEP_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final double burst;
    private final double tokensPerNano;
    private final Map<InetAddress, Bucket> buckets = new HashMap<>();
    private long lastSweep;

    private static final class Bucket {
        double tokens;
        long at;
    }

    JoinRateLimiter(int ratePerSecond) {
        this.burst = ratePerSecond;
        this.tokensPerNano = ratePerSecond / 1e9;
        this.lastSweep = System.nanoTime();
    }

    /** Takes a token for a join from {@code source} at {@code now} (System.nanoTime); false when over the rate. */
    synchronized boolean tryAcquire(InetAddress source, long now) {
        Bucket b = buckets.get(source);
        if (b == null) {
            if (buckets.size() >= MAX_SOURCES && !sweep(now)) {
                return false;
            }
            b = new Bucket();
            b.tokens = burst;
            buckets.put(source, b);
        } else {
            b.tokens = refilled(b, now);
        }
        b.at = now;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    /** Drops full buckets (at most every 100 ms, so a full table costs no sweep per join); true if room was made. */
    private boolean sweep(long now) {
        if (now - lastSweep < SWEEP_EVERY_NANOS) {
            return false;
        }
        lastSweep = now;
        buckets.values().removeIf(b -> refilled(b, now) >= burst);
        return buckets.size() < MAX_SOURCES;
    }

    private double refilled(Bucket b, long now) {
        return Math.min(burst, b.tokens + (now - b.at) * tokensPerNano);
    }
}
