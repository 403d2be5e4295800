package org.joinleaf.runtime.defaultprovider;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.joinleaf.spi.DatagramBudget;
import org.junit.Test;

/** The UDP receive queue is bounded and counts what it drops (reliability: no unbounded queues). */
public class DatagramQueueTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 9);

    private static DatagramQueue queue(int capacityBytes) {
        return new DatagramQueue(capacityBytes, new DatagramBudget<>(DropReason.class, Long.MAX_VALUE));
    }

    private static boolean offer(DatagramQueue q, int size) {
        return q.offer(ByteBuffer.allocate(size), FROM);
    }

    @Test
    public void dropsAndCountsWhenFull() {
        DatagramQueue q = queue(1024);
        assertTrue(offer(q, 400));
        assertTrue(offer(q, 400));
        assertFalse("464 + 464 + 464 > 1024", offer(q, 400));
        assertEquals(1, q.dropped());
        q.remove();
        assertTrue("room again after a receive", offer(q, 400));
    }

    @Test
    public void anEmptyQueueTakesAnySizeUpToTheMessageLimit() {
        DatagramQueue q = queue(1024);
        assertTrue(offer(q, DefaultCatalog.MAX_UDP_MESSAGE));
        assertFalse(offer(q, 0));
    }

    @Test
    public void emptyDatagramsStillCostRoom() {
        DatagramQueue q = queue(1024);
        int taken = 0;
        for (int i = 0; i < 1000; i++) {
            if (offer(q, 0)) {
                taken++;
            }
        }
        assertEquals(1024 / 64, taken);
        assertEquals(1000 - taken, q.dropped());
        q.clear();
        assertTrue(q.isEmpty());
    }
}
