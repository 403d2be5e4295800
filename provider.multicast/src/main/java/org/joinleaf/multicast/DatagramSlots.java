package org.joinleaf.multicast;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The queued datagrams of one socket as parallel arrays, first in, first out: sender, storage, offset and length
 * per slot, so that queuing a datagram allocates nothing (a record per datagram was still half of the I/O thread's
 * samples once payloads shared the ring, issue 14 item 4). The arrays double as needed up to {@code maxSlots}, the
 * socket's datagram bound; what a slot holds is within {@link ReceiveLimits#DATAGRAM_OVERHEAD_BYTES}. Not
 * thread-safe: the queue's lock guards it.
 */
final class DatagramSlots {
    private static final int FIRST_CAPACITY = 16;

    private final int maxSlots;
    private InetSocketAddress[] senders;
    private byte[][] storages;
    private int[] offsets;
    private int[] lengths;
    private int head;
    private int count;

    DatagramSlots(int maxSlots) {
        this.maxSlots = maxSlots;
        allocate(Math.max(1, Math.min(FIRST_CAPACITY, maxSlots)));
    }

    private void allocate(int capacity) {
        senders = new InetSocketAddress[capacity];
        storages = new byte[capacity][];
        offsets = new int[capacity];
        lengths = new int[capacity];
    }

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Makes room for one more slot now, so that an {@code OutOfMemoryError} comes before anything is taken. */
    void makeRoom() {
        if (count == senders.length) {
            grow();
        }
    }

    /** Appends a datagram; the caller checked the socket's datagram bound. */
    void add(InetSocketAddress sender, byte[] storage, int offset, int length) {
        makeRoom();
        int i = (head + count) % senders.length;
        senders[i] = sender;
        storages[i] = storage;
        offsets[i] = offset;
        lengths[i] = length;
        count++;
    }

    private void grow() {
        int capacity = (int) Math.min(Math.max(1, maxSlots), 2L * senders.length);
        if (capacity <= senders.length) {
            capacity = senders.length + 1; // only when a caller exceeds the bound: stay correct, never overwrite
        }
        InetSocketAddress[] oldSenders = senders;
        byte[][] oldStorages = storages;
        int[] oldOffsets = offsets;
        int[] oldLengths = lengths;
        allocate(capacity);
        for (int k = 0; k < count; k++) {
            int from = (head + k) % oldSenders.length;
            senders[k] = oldSenders[from];
            storages[k] = oldStorages[from];
            offsets[k] = oldOffsets[from];
            lengths[k] = oldLengths[from];
        }
        head = 0;
    }

    InetSocketAddress headSender() {
        return senders[head];
    }

    byte[] headStorage() {
        return storages[head];
    }

    int headOffset() {
        return offsets[head];
    }

    /** The head's length, -1 when empty. */
    int headLength() {
        return count == 0 ? -1 : lengths[head];
    }

    /** Drops the head (its references too, so the queue keeps no sender or array alive). */
    void removeHead() {
        senders[head] = null;
        storages[head] = null;
        head = (head + 1) % senders.length;
        count--;
    }

    void clear() {
        Arrays.fill(senders, null);
        Arrays.fill(storages, null);
        head = 0;
        count = 0;
    }
}
