package org.joinleaf.runtime.defaultprovider;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.joinleaf.spi.DatagramBudget;

/**
 * Received datagrams waiting for {@code recvfrom}, bounded in bytes per socket and charged to the provider's
 * {@link DatagramBudget} (each datagram also costs a fixed overhead, so empty datagrams cannot grow the queue without
 * bound). A datagram that does not fit is dropped and counted, as a full socket buffer drops them; one datagram is
 * always admitted into an empty queue (if the provider's total has room) so that any size up to the message limit
 * can be received. The copy is allocated only after both budgets took its cost. Not thread-safe: the owning socket
 * locks.
 */
final class DatagramQueue {
    /** One received datagram and its sender. */
    record Datagram(byte[] data, InetSocketAddress from) {
    }

    private static final int OVERHEAD_BYTES = 64;

    private final int capacityBytes;
    private final DatagramBudget<DropReason> budget;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private int queuedBytes;
    private long dropped;

    DatagramQueue(int capacityBytes, DatagramBudget<DropReason> budget) {
        this.capacityBytes = capacityBytes;
        this.budget = budget;
    }

    /** Queues a copy of {@code payload}'s remaining bytes; false (and counted as dropped) when it does not fit. */
    boolean offer(ByteBuffer payload, InetSocketAddress from) {
        int cost = cost(payload.remaining());
        if (!queue.isEmpty() && queuedBytes + cost > capacityBytes) {
            return drop(DropReason.SOCKET_FULL);
        }
        if (!budget.tryCharge(cost)) {
            return drop(DropReason.PROVIDER_FULL);
        }
        try {
            byte[] data = new byte[payload.remaining()];
            payload.get(data);
            queue.add(new Datagram(data, from));
        } catch (Throwable t) { // OutOfMemoryError above all: the charge goes back, the loop counts the failure
            budget.release(cost);
            throw t;
        }
        queuedBytes += cost;
        return true;
    }

    /** Counts a datagram lost to a failure while it was being handled. */
    void countFailure() {
        drop(DropReason.FAILURE);
    }

    private boolean drop(DropReason reason) {
        dropped++;
        budget.countDrop(reason);
        return false;
    }

    Datagram peek() {
        return queue.peek();
    }

    void remove() {
        Datagram d = queue.poll();
        if (d != null) {
            int cost = cost(d.data().length);
            queuedBytes -= cost;
            budget.release(cost);
        }
    }

    private static int cost(int payloadBytes) {
        return payloadBytes + OVERHEAD_BYTES;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void clear() {
        queue.clear();
        budget.release(queuedBytes);
        queuedBytes = 0;
    }

    long dropped() {
        return dropped;
    }
}
