package org.joinleaf.multicast;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import org.junit.Test;

/**
 * Issue 14 item 4: the allocation-free slots of a receive queue keep arrival order across wrapping and growing, and
 * let go of what they referenced once a datagram is taken.
 */
public class DatagramSlotsTest {
    @Test
    public void orderSurvivesWrappingAndGrowing() {
        DatagramSlots slots = new DatagramSlots(1000);
        int added = 0;
        int taken = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < round % 7 + 3; i++) {
                slots.add(new InetSocketAddress("127.0.0.1", 1 + added), new byte[1], added, added % 13);
                added++;
            }
            for (int i = 0; i < round % 5 + 1 && !slots.isEmpty(); i++) {
                assertEquals(taken, slots.headOffset());
                assertEquals(taken % 13, slots.headLength());
                assertEquals(1 + taken, slots.headSender().getPort());
                slots.removeHead();
                taken++;
            }
            assertEquals(added - taken, slots.size());
        }
        assertTrue("it grew past its first 16 slots", added - taken > 16);
    }

    @Test
    public void anEmptyQueueHasNoHeadLength() {
        DatagramSlots slots = new DatagramSlots(2);
        assertEquals(-1, slots.headLength());
        slots.add(null, new byte[0], 0, 0);
        assertEquals(0, slots.headLength());
        slots.clear();
        assertEquals(-1, slots.headLength());
        assertTrue(slots.isEmpty());
    }
}
