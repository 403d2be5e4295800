package org.joinleaf.multicast;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/**
 * Issue 14 item 4: the ring that spares the I/O thread an allocation per datagram hands out only space no queued
 * datagram holds, first in, first out, wraps when the front is free, and says "no room" instead of overlapping.
 */
public class ByteRingTest {
    @Test
    public void wrapsToTheFrontOnlyWhenTheOldestDatagramsLeftIt() {
        ByteRing r = new ByteRing(100);
        assertEquals(0, r.allocate(40));
        assertEquals(40, r.allocate(40));
        assertEquals("20 bytes left at the end, the front is still held", -1, r.allocate(30));
        r.release(0, 40);
        assertEquals("the front is free again: wrap", 0, r.allocate(30));
        assertEquals("10 bytes between the new tail and the oldest", -1, r.allocate(11));
        assertEquals(30, r.allocate(10));
        r.release(40, 40);
        assertEquals("the oldest is now in the new lap: the end is free", 40, r.allocate(60));
        assertEquals(2 + 1, r.held());
    }

    @Test
    public void anEmptyRingStartsOverAtTheFront() {
        ByteRing r = new ByteRing(100);
        assertEquals(0, r.allocate(70));
        r.release(0, 70);
        assertEquals(0, r.held());
        assertEquals("nothing held: all 100 bytes are room", 0, r.allocate(100));
    }

    @Test
    public void emptyAndOversizedDatagramsGetNoRingSpace() {
        ByteRing r = new ByteRing(100);
        assertEquals(-1, r.allocate(0));
        assertEquals(-1, r.allocate(101));
        assertEquals(0, r.held());
    }
}
