package org.joinleaf.bench.qos;

/**
 * When each send of one flow returned and how many bytes the flow had sent by then, for finding the most bytes
 * sent in any window of a given length. Bounded: records at most {@code capacity} sends, later ones are only counted
 * (and {@link #complete()} turns false).
 */
final class SendLog {
    private final long[] nanos;
    private final long[] bytesUpTo; // cumulative, including the send at the same index
    private int recorded;
    private long messages;
    private long bytes;

    SendLog(int capacity) {
        nanos = new long[capacity];
        bytesUpTo = new long[capacity];
    }

    void record(long returnedAtNanos, int sentBytes) {
        messages++;
        bytes += sentBytes;
        if (recorded < nanos.length) {
            nanos[recorded] = returnedAtNanos;
            bytesUpTo[recorded] = bytes;
            recorded++;
        }
    }

    long messages() {
        return messages;
    }

    long bytes() {
        return bytes;
    }

    /** True when every send was recorded, so {@link #maxBytesInWindow} saw all of them. */
    boolean complete() {
        return recorded == messages;
    }

    /** The most bytes whose sends returned within any closed interval of {@code windowNanos} (two pointers). */
    long maxBytesInWindow(long windowNanos) {
        long max = 0;
        int end = 0;
        for (int start = 0; start < recorded; start++) {
            while (end < recorded && nanos[end] - nanos[start] <= windowNanos) {
                end++;
            }
            long before = start == 0 ? 0 : bytesUpTo[start - 1];
            max = Math.max(max, bytesUpTo[end - 1] - before);
        }
        return max;
    }

    /** The longest time between two consecutive logged sends returning. */
    long longestGapNanos() {
        long longest = 0;
        for (int i = 1; i < recorded; i++) {
            longest = Math.max(longest, nanos[i] - nanos[i - 1]);
        }
        return longest;
    }

    /**
     * Total time by which gaps between consecutive sends exceeded {@code allowanceNanos}. With the allowance the
     * time a token bucket takes to fill, that is time whose tokens overflowed the full bucket: the sender was held
     * up elsewhere (CPU, back-pressure) and can never catch that rate up.
     */
    long gapsBeyondNanos(long allowanceNanos) {
        long beyond = 0;
        for (int i = 1; i < recorded; i++) {
            beyond += Math.max(0, nanos[i] - nanos[i - 1] - allowanceNanos);
        }
        return beyond;
    }
}
