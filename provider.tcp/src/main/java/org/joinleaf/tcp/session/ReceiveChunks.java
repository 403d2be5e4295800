package org.joinleaf.tcp.session;

import java.util.ArrayDeque;

/**
 * The fixed-size arrays receive queues keep small messages in (decision 45), shared by every queue of the provider
 * so that a queue its application empties gives its arrays back instead of keeping them, and the next burst on any
 * socket takes them again without allocating. A queue charges the provider's {@code maxReceivedBytes} for each
 * array it holds; the free ones kept here are at most a sixteenth of that total, beyond it they go to the collector.
 * Thread-safe: a queue takes or gives an array once per {@link #size} bytes of messages, not per message.
 */
final class ReceiveChunks {
    /** The largest array: a step of the total (decision 45). */
    static final int MAX_BYTES = 8 * 1024;
    /** Arrays stay this small a share of the total, so that the rests of busy queues cannot add up to much of it. */
    static final int PER_TOTAL = 256;
    /** Smaller arrays would hold too few messages to spare anything; messages go into arrays of their own then. */
    static final int MIN_BYTES = 64;

    private final int size;
    private final int maxFree;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();

    /** Arrays for queues sharing {@code total}. */
    ReceiveChunks(MemoryBudget total) {
        this.size = (int) Math.min(MAX_BYTES, total.limit() / PER_TOTAL);
        this.maxFree = size < MIN_BYTES ? 0 : (int) Math.min(Integer.MAX_VALUE, total.limit() / 16 / size);
    }

    /** The bytes of each array; messages longer than this get an array of their own. */
    int size() {
        return size;
    }

    /** False when arrays are too small to be worth it (a tiny total): every message has its own array then. */
    boolean inUse() {
        return size >= MIN_BYTES;
    }

    /** A free array, or a new one. */
    byte[] take() {
        byte[] chunk;
        synchronized (this) {
            chunk = free.poll();
        }
        return chunk != null ? chunk : new byte[size];
    }

    /** An array a queue no longer uses; kept for the next while fewer than the cap are free. */
    void give(byte[] chunk) {
        synchronized (this) {
            if (free.size() < maxFree) {
                free.push(chunk);
            }
        }
    }

    /** Free arrays kept now (tests). */
    synchronized int freeCount() {
        return free.size();
    }
}
