package org.joinleaf.multicast;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
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
}
