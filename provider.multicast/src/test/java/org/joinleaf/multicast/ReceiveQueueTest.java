package org.joinleaf.multicast;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import org.joinleaf.spi.DatagramBudget;
import org.junit.Test;

/**
 * Issue 14 item 4: a socket takes the provider's total in steps instead of per datagram (the shared counter was the
 * I/O threads' hottest frame), and the bounds stay exact (issue 11: nothing past the total, nothing past the socket's
 * own bound); decision 31: the queue says when an arrival is news (empty to non-empty).
 */
public class ReceiveQueueTest {
    private static final long TOTAL = 2L << 20; // a step of 8 KiB
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 5000);

    private final DatagramBudget<DropReason> budget = new DatagramBudget<>(DropReason.class, TOTAL);

    @Test
    public void takesTheTotalInStepsAndGivesEverythingBackWhenEmpty() {
        ReceiveQueue q = new ReceiveQueue(budget, TOTAL, 1000);
        long cost = ReceiveLimits.cost(64);
        long step = ReceiveQueue.MAX_STEP_BYTES;
        int n = (int) (step / cost); // these fit the first step
        for (int i = 0; i < n; i++) {
            q.offer(FROM, ByteBuffer.allocate(64));
            assertEquals("one step covers the first " + n + " datagrams", step, budget.usedBytes());
        }
        q.offer(FROM, ByteBuffer.allocate(64));
        assertEquals("the next arrival takes the next step", 2 * step, budget.usedBytes());
        assertEquals("the socket's holding is the provider's whole charge", budget.usedBytes(), q.heldBytes());
        for (int i = 0; i < n; i++) {
            assertNotNull(q.poll());
            long queued = (n - i) * cost;
            assertTrue("at most one step unused: " + q.heldBytes() + " for " + queued,
                    q.heldBytes() >= queued && q.heldBytes() <= queued + step);
        }
        assertNotNull(q.poll());
        assertEquals("an empty queue holds nothing of the total", 0, budget.usedBytes());
        assertEquals(0, q.heldBytes());
    }

    @Test
    public void aStepThatDoesNotFitShrinksToTheArrivalsCostAndNothingPassesTheTotal() {
        assertTrue(budget.tryCharge(TOTAL - 500)); // the other sockets hold all but 500 bytes
        ReceiveQueue q = new ReceiveQueue(budget, TOTAL, 1000);

        assertEquals("228 bytes fit though a step does not", ReceiveQueue.Offered.FIRST,
                q.offer(FROM, ByteBuffer.allocate(100)));
        assertEquals(ReceiveLimits.cost(100), q.heldBytes());
        assertEquals(ReceiveQueue.Offered.REFUSED, q.offer(FROM, ByteBuffer.allocate(300)));
        assertEquals(1, budget.dropped(DropReason.PROVIDER_BUDGET_FULL));
        assertEquals("refused: nothing taken", TOTAL - 500 + ReceiveLimits.cost(100), budget.usedBytes());
        assertTrue(budget.usedBytes() <= TOTAL);
    }

    @Test
    public void theSocketsOwnBoundCapsItsStepsToo() {
        long perSocket = 1000;
        ReceiveQueue q = new ReceiveQueue(budget, perSocket, 1000);
        while (q.offer(FROM, ByteBuffer.allocate(10)) != ReceiveQueue.Offered.REFUSED) {
            assertTrue(q.heldBytes() + " > " + perSocket, q.heldBytes() <= perSocket);
        }
        assertEquals(1, budget.dropped(DropReason.SOCKET_QUEUE_FULL));
        assertEquals(perSocket, q.heldBytes());
        q.close();
        assertEquals("closing gives everything back", 0, budget.usedBytes());
    }

    // Decision 31: FD_READ news is a queue turning non-empty.
    @Test
    public void onlyAnArrivalIntoAnEmptyQueueIsNews() {
        ReceiveQueue q = new ReceiveQueue(budget, TOTAL, 1000);
        assertEquals(ReceiveQueue.Offered.FIRST, q.offer(FROM, ByteBuffer.allocate(1)));
        assertEquals(ReceiveQueue.Offered.QUEUED, q.offer(FROM, ByteBuffer.allocate(1)));
        q.poll();
        assertEquals(ReceiveQueue.Offered.QUEUED, q.offer(FROM, ByteBuffer.allocate(1)));
        q.poll();
        q.poll();
        assertEquals(ReceiveQueue.Offered.FIRST, q.offer(FROM, ByteBuffer.allocate(1)));
    }

    // Decision 31: the runtime asks the provider after every receive whether a datagram is left; the answer takes no
    // lock, so it must follow every offer, poll and close.
    @Test
    public void theHeadLengthFollowsTheQueue() {
        ReceiveQueue q = new ReceiveQueue(budget, TOTAL, 1000);
        assertEquals(0, q.headLength());
        q.offer(FROM, ByteBuffer.allocate(3));
        q.offer(FROM, ByteBuffer.allocate(5));
        assertEquals(3, q.headLength());
        q.poll();
        assertEquals(5, q.headLength());
        q.poll();
        assertEquals(0, q.headLength());
        q.offer(FROM, ByteBuffer.allocate(7));
        assertEquals(7, q.headLength());
        q.close();
        assertEquals(0, q.headLength());
    }

    // Issue 14 item 4: payloads share the socket's ring instead of an array each. Whatever the sizes, the ring
    // wrapping and arrivals overflowing it to arrays of their own, every datagram comes out whole, in order.
    @Test
    public void datagramsComeOutWholeAndInOrderWhileTheRingWrapsAndOverflows() {
        ReceiveQueue q = new ReceiveQueue(budget, TOTAL, 1000, 1000);
        Random random = new Random(14);
        ArrayDeque<byte[]> expected = new ArrayDeque<>();
        for (int round = 0; round < 2000; round++) {
            int arrivals = random.nextInt(6);
            for (int i = 0; i < arrivals; i++) {
                byte[] payload = new byte[random.nextInt(random.nextBoolean() ? 1200 : 300)];
                random.nextBytes(payload);
                assertTrue(q.offer(FROM, ByteBuffer.wrap(payload)) != ReceiveQueue.Offered.REFUSED);
                expected.add(payload);
            }
            int takes = random.nextInt(6);
            for (int i = 0; i < takes && !expected.isEmpty(); i++) {
                byte[] want = expected.poll();
                ByteBuffer into = ByteBuffer.allocate(2000);
                Datagram d = q.take(into, false);
                assertEquals(want.length, d.length());
                assertArrayEquals("datagram " + round + "/" + i, want, Arrays.copyOf(into.array(), into.position()));
            }
            assertEquals(expected.size(), q.size());
        }
    }

    // The ring changes where bytes live, not what is charged: the bounds (decision 36, issue 11) stay exact.
    @Test
    public void theRingChargesWhatArraysWereChargedAndTheSocketsBoundStaysExact() {
        long maxBytes = 10 * ReceiveLimits.cost(64);
        ReceiveQueue q = new ReceiveQueue(budget, maxBytes, 1000, 1000);
        for (int i = 0; i < 10; i++) {
            assertTrue(q.offer(FROM, ByteBuffer.allocate(64)) != ReceiveQueue.Offered.REFUSED);
        }
        assertEquals(ReceiveQueue.Offered.REFUSED, q.offer(FROM, ByteBuffer.allocate(0)));
        assertEquals(1, budget.dropped(DropReason.SOCKET_QUEUE_FULL));
        assertEquals(maxBytes, q.heldBytes());
        ReceiveQueue counted = new ReceiveQueue(budget, TOTAL, 3, 1000);
        for (int i = 0; i < 3; i++) {
            counted.offer(FROM, ByteBuffer.allocate(1));
        }
        assertEquals("the count bound too", ReceiveQueue.Offered.REFUSED, counted.offer(FROM, ByteBuffer.allocate(1)));
    }

    // A peek copies the head without taking it; a buffer shorter than the datagram gets its first bytes (the
    // caller reports WSAEMSGSIZE), and the rest is discarded with it, ring space included.
    @Test
    public void peekKeepsTheHeadAndAShortBufferGetsTheFirstBytes() {
        ReceiveQueue q = new ReceiveQueue(budget, TOTAL, 1000, 1000);
        q.offer(FROM, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
        q.offer(FROM, ByteBuffer.wrap(new byte[] {6}));
        ByteBuffer small = ByteBuffer.allocate(2);
        assertEquals(5, q.take(small, true).length());
        assertArrayEquals(new byte[] {1, 2}, small.array());
        assertEquals(2, q.size());
        ByteBuffer whole = ByteBuffer.allocate(5);
        q.take(whole, false);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, whole.array());
        ByteBuffer next = ByteBuffer.allocate(3);
        assertEquals(1, q.take(next, false).length());
        assertEquals(6, next.get(0));
        assertEquals(null, q.take(next, false));
    }

    // Issue 14 item 4: only small payloads share the ring; a larger one keeps an array of its own (copied out
    // without the lock), and an empty one takes no ring space.
    @Test
    public void onlySmallPayloadsShareTheRing() {
        ReceiveQueue q = new ReceiveQueue(budget, TOTAL, 1000);
        q.offer(FROM, ByteBuffer.allocate(ReceiveQueue.RING_DATAGRAM_BYTES));
        q.offer(FROM, ByteBuffer.allocate(ReceiveQueue.RING_DATAGRAM_BYTES));
        q.offer(FROM, ByteBuffer.allocate(ReceiveQueue.RING_DATAGRAM_BYTES + 1));
        q.offer(FROM, ByteBuffer.allocate(0));
        byte[] ring = q.poll().storage();
        assertTrue("small payloads share one array", ring == q.poll().storage());
        Datagram large = q.poll();
        assertTrue("a larger one has its own", large.storage() != ring && large.storage().length == large.length());
        assertEquals(0, q.poll().length());
    }
}
