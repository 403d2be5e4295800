package org.joinleaf.multicast;

/**
 * A socket's reused storage for the payloads of its queued datagrams, so that the I/O thread copies each arrival
 * once into memory that stays warm instead of into a new array (the allocation and the cold memory it touched were
 * most of the I/O thread's samples, issue 14 item 4). Space is handed out and given back strictly first in, first
 * out, like the queue itself; an arrival that finds no contiguous room gets an array of its own from the queue, so
 * the ring never refuses anything and never changes what the budgets charge. Its capacity is a per-socket constant
 * the application chooses by opening sockets, not something a peer can grow. Not thread-safe: the queue's lock
 * guards it.
 */
final class ByteRing {
    private final byte[] storage;
    /** Offset of the oldest datagram still held. */
    private int head;
    /** Where the next datagram goes. */
    private int tail;
    /** True once {@code tail} went back to 0 while older datagrams still sit between {@code head} and the end. */
    private boolean wrapped;
    /** While wrapped: where the older lap ends (its last datagram's end). */
    private int lapEnd;
    private int held;

    ByteRing(int capacity) {
        storage = new byte[capacity];
    }

    byte[] storage() {
        return storage;
    }

    /** The offset of {@code length} contiguous free bytes, now held, or -1 when there is no such room. */
    int allocate(int length) {
        if (length == 0 || length > storage.length) {
            return -1;
        }
        if (held == 0) {
            head = 0;
            tail = 0;
            wrapped = false;
        }
        int offset;
        if (!wrapped && storage.length - tail >= length) {
            offset = tail;
        } else if (!wrapped && head >= length) {
            offset = 0;
            wrapped = true;
            lapEnd = tail;
        } else if (wrapped && head - tail >= length) {
            offset = tail;
        } else {
            return -1;
        }
        tail = offset + length;
        held++;
        return offset;
    }

    /** Gives back the oldest datagram's space, at {@code offset} (the one {@link #allocate} returned first). */
    void release(int offset, int length) {
        head = offset + length;
        if (wrapped && head == lapEnd) {
            wrapped = false; // the older lap is gone: the oldest now sits at the front, the end is free again
            head = 0;
        }
        held--;
    }

    /** Datagrams whose bytes the ring holds. */
    int held() {
        return held;
    }
}
