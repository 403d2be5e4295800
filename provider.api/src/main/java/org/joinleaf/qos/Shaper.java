package org.joinleaf.qos;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A token bucket for one sending flow ({@code TokenRate}, {@code TokenBucketSize}, {@code PeakBandwidth}), built for
 * non-blocking pipelines: it never sleeps and owns no thread. The caller asks before writing and, when told to wait,
 * schedules its retry (for example {@code eventLoop.schedule(..., nanos, NANOSECONDS)}); a blocking send waits that
 * long, a non-blocking one returns {@code WSAEWOULDBLOCK} and posts {@code FD_WRITE} when the wait is over.
 *
 * <p>Guarantee: over any interval of length {@code t} seconds the bytes allowed are at most
 * {@code TokenBucketSize + TokenRate * t}, and, when {@code PeakBandwidth} is given, at most
 * {@code chunk + PeakBandwidth * t} for the largest chunk acquired. The bucket starts full.
 *
 * <p>Pitfalls: a write larger than {@link #maxAcquire()} must be split into chunks first (a bucket can never hold
 * more than its size); always pass the same clock ({@link System#nanoTime()} in production).
 */
@ProviderType
public interface Shaper {

    /**
     * Takes {@code bytes} tokens if they are available now.
     *
     * @param bytes 0 to {@link #maxAcquire()}
     * @param nowNanos the current time of a monotonic nanosecond clock
     * @return 0 when the bytes may be sent now (the tokens are taken), otherwise how many nanoseconds to wait
     *         before asking again (nothing is taken)
     * @throws IllegalArgumentException when {@code bytes} is negative or larger than {@link #maxAcquire()}
     */
    long tryAcquire(int bytes, long nowNanos);

    /** The largest chunk {@link #tryAcquire} accepts: the bucket size, or {@link Integer#MAX_VALUE} when unlimited. */
    int maxAcquire();

    /** True when this flow is not shaped: every {@link #tryAcquire} answers 0. */
    boolean isUnlimited();
}
