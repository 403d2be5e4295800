package org.joinleaf.qos.shaping;

import org.joinleaf.qos.Shaper;

/**
 * The {@link Shaper} of one sending flow: a token bucket ({@code TokenRate}, {@code TokenBucketSize}) and an optional
 * peak-rate limit ({@code PeakBandwidth}), computed as a virtual-scheduling GCRA so that no timer or refill thread is
 * needed. Times are kept as whole nanoseconds plus an exact remainder (in units of 1/rate ns), so the long-term rate
 * does not drift however small the chunks.
 */
public final class TokenBucketShaper implements Shaper {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private boolean unlimited = true;
    private long rate;
    private long bucket;
    private long peak; // 0: no peak limit
    private boolean started;
    // Theoretical arrival time of the token bucket: tat + tatRemainder / rate nanoseconds.
    private long tat;
    private long tatRemainder;
    // Earliest time the peak limit allows the next chunk: peakFree + peakRemainder / peak nanoseconds.
    private long peakFree;
    private long peakRemainder;

    /** An unlimited shaper; {@link #configure} limits it. */
    public TokenBucketShaper() {
    }

    /**
     * Shapes to {@code rate} bytes/s with a bucket of {@code bucket} bytes, and at most {@code peak} bytes/s when
     * {@code peak > 0}. A change keeps any debt already built up (expressed in time); an unlimited shaper starts
     * with a full bucket.
     */
    public synchronized void configure(long rate, long bucket, long peak) {
        if (rate <= 0 || bucket <= 0 || peak < 0 || (peak > 0 && peak < rate)) {
            throw new IllegalArgumentException("rate " + rate + ", bucket " + bucket + ", peak " + peak);
        }
        if (unlimited) {
            started = false;
        }
        unlimited = false;
        this.rate = rate;
        this.bucket = bucket;
        this.peak = peak;
        // Remainders are in units of the old rates: round the times up by one nanosecond instead (never lenient).
        tat += tatRemainder > 0 ? 1 : 0;
        tatRemainder = 0;
        peakFree += peakRemainder > 0 ? 1 : 0;
        peakRemainder = 0;
    }

    /** Stops shaping: every later {@link #tryAcquire} answers 0. */
    public synchronized void configureUnlimited() {
        unlimited = true;
    }

    @Override
    public synchronized long tryAcquire(int bytes, long nowNanos) {
        if (bytes < 0 || (!unlimited && bytes > bucket)) {
            throw new IllegalArgumentException("cannot acquire " + bytes + " bytes from a bucket of " + bucket
                    + "; split writes into chunks of at most maxAcquire() bytes");
        }
        if (unlimited || bytes == 0) {
            return 0;
        }
        if (!started) {
            tat = nowNanos;
            peakFree = nowNanos;
            tatRemainder = 0;
            peakRemainder = 0;
            started = true;
        }
        // A chunk conforms when the bucket holds it: the TAT may run ahead of now by the time (bucket - bytes) refills.
        long tolerance = (bucket - bytes) * NANOS_PER_SECOND / rate;
        long wait = tat + (tatRemainder > 0 ? 1 : 0) - tolerance - nowNanos;
        if (peak > 0) {
            wait = Math.max(wait, peakFree + (peakRemainder > 0 ? 1 : 0) - nowNanos);
        }
        if (wait > 0) {
            return wait;
        }
        if (nowNanos - tat > 0) {
            tat = nowNanos;
            tatRemainder = 0;
        }
        long spent = bytes * NANOS_PER_SECOND + tatRemainder;
        tat += spent / rate;
        tatRemainder = spent % rate;
        if (peak > 0) {
            if (nowNanos - peakFree > 0) {
                peakFree = nowNanos;
                peakRemainder = 0;
            }
            long busy = bytes * NANOS_PER_SECOND + peakRemainder;
            peakFree += busy / peak;
            peakRemainder = busy % peak;
        }
        return 0;
    }

    @Override
    public synchronized int maxAcquire() {
        return unlimited ? Integer.MAX_VALUE : (int) Math.min(bucket, Integer.MAX_VALUE);
    }

    @Override
    public synchronized boolean isUnlimited() {
        return unlimited;
    }
}
