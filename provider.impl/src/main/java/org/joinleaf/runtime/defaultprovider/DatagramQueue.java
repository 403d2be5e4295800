package org.joinleaf.runtime.defaultprovider;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * Received datagrams waiting for {@code recvfrom}, bounded in bytes (each datagram also costs a fixed overhead, so
 * empty datagrams cannot grow the queue without bound). A datagram that does not fit is dropped and
 * counted, as a full socket buffer drops them; one datagram is always admitted into an empty queue so that any
 * size up to the message limit can be received. Not thread-safe: the owning socket locks.
 */
final class DatagramQueue {
    /** One received datagram and its sender. */
    record Datagram(byte[] data, InetSocketAddress from) {
    }

    private static final int OVERHEAD_BYTES = 64;

    private final int capacityBytes;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private int queuedBytes;
    private long dropped;

    DatagramQueue(int capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** Queues {@code d}; false (and counted as dropped) when the queue is full. */
    boolean offer(Datagram d) {
        if (!queue.isEmpty() && queuedBytes + cost(d) > capacityBytes) {
            dropped++;
            return false;
        }
        queue.add(d);
        queuedBytes += cost(d);
        return true;
    }

    Datagram peek() {
        return queue.peek();
    }

    void remove() {
        Datagram d = queue.poll();
        if (d != null) {
            queuedBytes -= cost(d);
        }
    }

    private static int cost(Datagram d) {
        return d.data().length + OVERHEAD_BYTES;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void clear() {
        queue.clear();
        queuedBytes = 0;
    }

    long dropped() {
        return dropped;
    }
}
