package org.joinleaf.runtime.defaultprovider;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import org.junit.Test;

/** The UDP receive queue is bounded and counts what it drops (reliability: no unbounded queues). */
public class DatagramQueueTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 9);

    private static DatagramQueue.Datagram datagram(int size) {
        return new DatagramQueue.Datagram(new byte[size], FROM);
    }

    @Test
    public void dropsAndCountsWhenFull() {
        DatagramQueue q = new DatagramQueue(1024);
        assertTrue(q.offer(datagram(400)));
        assertTrue(q.offer(datagram(400)));
        assertFalse("464 + 464 + 464 > 1024", q.offer(datagram(400)));
        assertEquals(1, q.dropped());
        q.remove();
        assertTrue("room again after a receive", q.offer(datagram(400)));
    }

    @Test
    public void anEmptyQueueTakesAnySizeUpToTheMessageLimit() {
        DatagramQueue q = new DatagramQueue(1024);
        assertTrue(q.offer(datagram(DefaultCatalog.MAX_UDP_MESSAGE)));
        assertFalse(q.offer(datagram(0)));
    }

    @Test
    public void emptyDatagramsStillCostRoom() {
        DatagramQueue q = new DatagramQueue(1024);
        int taken = 0;
        for (int i = 0; i < 1000; i++) {
            if (q.offer(datagram(0))) {
                taken++;
            }
        }
        assertEquals(1024 / 64, taken);
        assertEquals(1000 - taken, q.dropped());
        q.clear();
        assertTrue(q.isEmpty());
    }
}
