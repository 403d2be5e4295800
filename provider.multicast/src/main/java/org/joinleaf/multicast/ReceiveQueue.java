package org.joinleaf.multicast;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.joinleaf.spi.DatagramBudget;

/**
 * One socket's received datagrams, bounded in bytes (payload plus {@link ReceiveLimits#DATAGRAM_OVERHEAD_BYTES}
 * each, so empty datagrams cannot grow it either) and in count, and charged to the provider's {@link DatagramBudget}.
 * A datagram is copied only after both budgets have taken its cost, so nothing is ever held past them; the copy goes
 * into the socket's {@link ByteRing} when it has room and into an array of the datagram's own otherwise, and is
 * copied out again under the lock ({@link #take}). The loop thread offers, application threads take; every method but
 * {@link #headLength} locks.
 *
 * <p>The provider's total is taken in steps, not per datagram ({@link #leased}): the one counter every I/O thread and
 * reader shared was the I/O threads' hottest frame (issue 14 item 4). A socket holds what its datagrams cost plus at
 * most one {@code step} unused, all of it within its own {@code maxBytes}; a step that does not fit the total shrinks
 * to what the arrival needs, so nothing is held past the total and an arrival is refused only when its own cost
 * does not fit beside what the other sockets hold. An empty queue gives everything back.
 */
final class ReceiveQueue {
    /** The most of the provider's total one socket takes at a time beyond what it needs. */
    static final long MAX_STEP_BYTES = 8 * 1024;
    /** Steps stay this small a share of the total, so that idle rests cannot add up to much of it. */
    static final int STEPS_PER_TOTAL = 256;
    /** Ring capacity: a burst of small datagrams, or a few dozen of 1 KiB, without an allocation each. */
    static final int RING_BYTES = 32 * 1024;
    /**
     * Larger payloads get arrays of their own, copied out without the lock, so that a long copy never holds the I/O
     * thread up. (An early A/B that seemed to show 1 KiB in the ring costing more was the order of the runs; with the
     * order alternated the two were level, README "Multicast", so this limit is the cautious choice, not a measured
     * optimum.)
     */
    static final int RING_DATAGRAM_BYTES = 256;
    private static final byte[] NO_BYTES = new byte[0];

    private final DatagramBudget<DropReason> budget;
    private final long maxBytes;
    private final int maxDatagrams;
    private final long step;
    private final int ringBytes;
    /** Created by the first arrival (a socket that never receives holds none), dropped on close. */
    private ByteRing ring;
    private final DatagramSlots datagrams;
    /** What the queued datagrams cost. */
    private long bytes;
    /** What this socket holds of the provider's total: {@code bytes <= leased <= maxBytes}. */
    private long leased;
    private long dropped;
    private boolean closed;
    /** The head datagram's length, -1 when empty: read without the lock after every receive call (decision 31). */
    private volatile int headLength = -1;

    ReceiveQueue(DatagramBudget<DropReason> budget, long maxBytes, int maxDatagrams) {
        this(budget, maxBytes, maxDatagrams, RING_BYTES);
    }

    /** With a ring of {@code ringBytes} (tests use small rings to make it wrap and overflow). */
    ReceiveQueue(DatagramBudget<DropReason> budget, long maxBytes, int maxDatagrams, int ringBytes) {
        this.ringBytes = (int) Math.min(ringBytes, maxBytes);
        this.budget = budget;
        this.maxBytes = maxBytes;
        this.maxDatagrams = maxDatagrams;
        this.datagrams = new DatagramSlots(maxDatagrams);
        this.step = Math.min(MAX_STEP_BYTES, budget.totalBytes() / STEPS_PER_TOTAL);
    }

    /** What {@link #offer} did with a datagram. */
    enum Offered {
        /** Queued into an empty queue: the application has news ({@code FD_READ}, decision 31). */
        FIRST,
        /** Queued behind others, already announced. */
        QUEUED,
        /** Refused by a budget (counted), or the queue is closed. */
        REFUSED
    }

    /** Queues a copy of {@code payload}'s remaining bytes, or counts why it could not. */
    synchronized Offered offer(InetSocketAddress sender, ByteBuffer payload) {
        if (closed) {
            return Offered.REFUSED; // arrived while closing: nobody will read it, and it is no drop of a live socket
        }
        long cost = ReceiveLimits.cost(payload.remaining());
        if (datagrams.size() >= maxDatagrams || bytes + cost > maxBytes) {
            return drop(DropReason.SOCKET_QUEUE_FULL);
        }
        if (bytes + cost > leased && !lease(bytes + cost - leased)) {
            return drop(DropReason.PROVIDER_BUDGET_FULL);
        }
        boolean first = datagrams.isEmpty();
        try {
            add(sender, payload);
        } catch (Throwable t) { // OutOfMemoryError above all: the caller counts the drop
            trim();
            throw t;
        }
        bytes += cost;
        if (first) {
            headLength = datagrams.headLength();
        }
        return first ? Offered.FIRST : Offered.QUEUED;
    }

    /** Queues the payload's bytes in the ring when it has room, else in an array of their own. */
    private void add(InetSocketAddress sender, ByteBuffer payload) {
        int length = payload.remaining();
        datagrams.makeRoom(); // before ring space is taken: a failure here leaves the ring as it was
        if (length == 0) {
            datagrams.add(sender, NO_BYTES, 0, 0);
            return;
        }
        if (ring == null) {
            ring = new ByteRing(ringBytes);
        }
        int offset = length <= RING_DATAGRAM_BYTES ? ring.allocate(length) : -1;
        byte[] storage = offset < 0 ? new byte[length] : ring.storage();
        offset = Math.max(offset, 0);
        payload.get(storage, offset, length);
        datagrams.add(sender, storage, offset, length);
    }

    /** Takes {@code needed} more bytes of the total, a step more when that fits too (within maxBytes). */
    private boolean lease(long needed) {
        long more = Math.min(maxBytes - leased, Math.max(needed, step));
        if (budget.tryCharge(more) || (more > needed && budget.tryCharge(more = needed))) {
            leased += more;
            return true;
        }
        return false;
    }

    /** Gives back what the queue does not use beyond one step, or everything once it is empty. */
    private void trim() {
        long unused = leased - bytes;
        long keep = datagrams.isEmpty() ? 0 : Math.min(unused, step / 2);
        if (unused > step || (datagrams.isEmpty() && unused > 0)) {
            budget.release(unused - keep);
            leased -= unused - keep;
        }
    }

    /** Counts a datagram this socket lost to a failure while it was being handled. */
    synchronized void countFailure() {
        drop(DropReason.FAILURE);
    }

    private Offered drop(DropReason reason) {
        dropped++;
        budget.countDrop(reason);
        return Offered.REFUSED;
    }

    /**
     * Copies the head datagram's first bytes into {@code into} (as many as fit) and, unless {@code peek}, takes it off
     * the queue; null when the queue is empty. A ring datagram is copied under the lock, before its space can be
     * reused; one with an array of its own after it, so that a long copy does not hold the I/O thread up.
     */
    Datagram take(ByteBuffer into, boolean peek) {
        Datagram d;
        boolean inRing;
        synchronized (this) {
            if (datagrams.isEmpty()) {
                return null;
            }
            d = new Datagram(datagrams.headSender(), datagrams.headStorage(), datagrams.headOffset(),
                    datagrams.headLength());
            inRing = ring != null && d.storage() == ring.storage();
            if (inRing) {
                copy(d, into);
            }
            if (!peek) {
                datagrams.removeHead();
                if (inRing) {
                    ring.release(d.offset(), d.length());
                }
                bytes -= ReceiveLimits.cost(d.length());
                trim();
                headLength = datagrams.headLength();
            }
        }
        if (!inRing) {
            copy(d, into); // its own array: nobody writes it once queued
        }
        return d;
    }

    private static void copy(Datagram d, ByteBuffer into) {
        into.put(d.storage(), d.offset(), Math.min(into.remaining(), d.length()));
    }

    /** Takes the head datagram without copying any of it (tests). */
    Datagram poll() {
        return take(ByteBuffer.allocate(0), false);
    }

    /** The next datagram's length, 0 when none is queued; takes no lock (the runtime asks after every receive). */
    int headLength() {
        return Math.max(0, headLength);
    }

    synchronized int size() {
        return datagrams.size();
    }

    /** What this socket holds of the provider's total: its datagrams' cost and at most one unused step. */
    synchronized long heldBytes() {
        return leased;
    }

    /** Datagrams this socket dropped, for any reason. */
    synchronized long dropped() {
        return dropped;
    }

    /** Empties the queue for good (the socket closed) and gives its bytes back to the provider. */
    synchronized void close() {
        closed = true;
        headLength = -1;
        datagrams.clear();
        ring = null;
        bytes = 0;
        trim();
    }
}
