package org.joinleaf.bench.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * One leaf's delivery check: messages must arrive whole and in order, each carrying its sequence number (0, 1, 2,
 * ...) big-endian in its first 8 bytes. Written by the one thread that reads that leaf, read by the trial thread.
 */
final class SequenceCheck {
    private final String leaf;
    private final int messageBytes;
    private final LongAdder allDelivered;
    private volatile long next;

    SequenceCheck(String leaf, int messageBytes, LongAdder allDelivered) {
        this.leaf = leaf;
        this.messageBytes = messageBytes;
        this.allDelivered = allDelivered;
    }

    /** The first 8 bytes of a message of {@code length} bytes hold {@code seq}; fill the message with it. */
    static void stamp(byte[] message, long seq) {
        ByteBuffer.wrap(message).putLong(0, seq);
    }

    void accept(long seq, int length) throws IOException {
        if (length != messageBytes || seq != next) {
            throw new IOException(leaf + " got message " + seq + " of " + length + " bytes, expected message " + next
                    + " of " + messageBytes + " bytes (a lost, duplicated, reordered or cut message)");
        }
        next = seq + 1; // single writer: the leaf's reader thread
        allDelivered.increment();
    }

    void accept(byte[] buffer, int length) throws IOException {
        accept(length >= 8 ? ByteBuffer.wrap(buffer).getLong(0) : -1, length);
    }

    /** Messages delivered in order so far. */
    long delivered() {
        return next;
    }
}
