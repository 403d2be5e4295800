package org.joinleaf.multicast;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.joinleaf.spi.DatagramBudget;

/**
 * One socket's received datagrams, bounded in bytes (payload plus {@link ReceiveLimits#DATAGRAM_OVERHEAD_BYTES}
 * each, so empty datagrams cannot grow it either) and in count, and charged to the provider's {@link DatagramBudget}.
 * The copy of a datagram is allocated only after both budgets have taken its cost, so nothing is ever held past
 * them. The loop thread offers, application threads take; every method locks.
 */
final class ReceiveQueue {
    private final DatagramBudget<DropReason> budget;
    private final long maxBytes;
    private final int maxDatagrams;
    private final ArrayDeque<Datagram> datagrams = new ArrayDeque<>();
    private long bytes;
    private long dropped;
    private boolean closed;

    ReceiveQueue(DatagramBudget<DropReason> budget, long maxBytes, int maxDatagrams) {
        this.budget = budget;
        this.maxBytes = maxBytes;
        this.maxDatagrams = maxDatagrams;
    }

    /** Queues a copy of {@code payload}'s remaining bytes; false when a budget refused it (counted as dropped). */
    synchronized boolean offer(InetSocketAddress sender, ByteBuffer payload) {
        if (closed) {
            return false; // arrived while closing: nobody will read it, and it is no drop of a live socket
        }
        long cost = ReceiveLimits.cost(payload.remaining());
        if (datagrams.size() >= maxDatagrams || bytes + cost > maxBytes) {
            return drop(DropReason.SOCKET_QUEUE_FULL);
        }
        if (!budget.tryCharge(cost)) {
            return drop(DropReason.PROVIDER_BUDGET_FULL);
        }
        try {
            byte[] data = new byte[payload.remaining()];
            payload.get(data);
            datagrams.add(new Datagram(sender, data));
        } catch (Throwable t) { // OutOfMemoryError above all: give the charge back, the caller counts the drop
            budget.release(cost);
            throw t;
        }
        bytes += cost;
        return true;
    }

    /** Counts a datagram this socket lost to a failure while it was being handled. */
    synchronized void countFailure() {
        drop(DropReason.FAILURE);
    }

    private boolean drop(DropReason reason) {
        dropped++;
        budget.countDrop(reason);
        return false;
    }

    synchronized Datagram peek() {
        return datagrams.peek();
    }

    synchronized Datagram poll() {
        Datagram d = datagrams.poll();
        if (d != null) {
            release(d);
        }
        return d;
    }

    synchronized boolean isEmpty() {
        return datagrams.isEmpty();
    }

    synchronized int size() {
        return datagrams.size();
    }

    synchronized long queuedBytes() {
        return bytes;
    }

    /** Datagrams this socket dropped, for any reason. */
    synchronized long dropped() {
        return dropped;
    }

    /** Empties the queue for good (the socket closed) and gives its bytes back to the provider. */
    synchronized void close() {
        closed = true;
        for (Datagram d; (d = datagrams.poll()) != null; ) {
            release(d);
        }
    }

    private void release(Datagram d) {
        long cost = ReceiveLimits.cost(d.data().length);
        bytes -= cost;
        budget.release(cost);
    }
}
