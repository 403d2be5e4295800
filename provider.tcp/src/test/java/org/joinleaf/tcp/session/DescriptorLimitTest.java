package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.joinleaf.tcp.session.LimitCounters.Limit;
import org.junit.Test;

/**
 * Issue 11, "held connections, nofile=256": a few addresses holding connections open must not take every descriptor
 * of the process, or accept() fails with EMFILE for the legitimate caller too. The pending handshakes are capped by
 * the open-file limit, and a failing accept frees a descriptor by the same rule as a full cap (the oldest handshake
 * of the busiest prefix).
 */
public class DescriptorLimitTest {

    @Test // issue 11: held connections, nofile=256: the oldest of the flood is reset before the kernel runs out
    public void pendingHandshakesAreCappedByTheOpenFileLimit() {
        HandshakeGate gate = HandshakeGate.within(1024, 1024, 256);
        assertEquals("a quarter of 256 descriptors", 64, gate.total());
        Handshake first = null;
        for (int i = 0; i < 64; i++) {
            Handshake h = handshake(gate, ip("127.9.0." + (1 + i % 4)));
            first = first == null ? h : first;
            HandshakeGate.Admission a = gate.tryOpen(h);
            assertNull("place " + i + " free", a.refused());
            assertNull("place " + i + " free", a.dropped());
        }
        HandshakeGate.Admission legit = gate.tryOpen(handshake(gate, ip("127.0.0.1")));
        assertNull("the legitimate caller is admitted", legit.refused());
        assertEquals("the flood's oldest handshake makes room", first, legit.dropped());
        assertEquals(64, gate.pending());
    }

    @Test // issue 11: held connections, nofile=256: the configured caps hold where descriptors are plenty
    public void aLargeOpenFileLimitKeepsTheConfiguredCaps() {
        HandshakeGate gate = HandshakeGate.within(16, 1024, 1_048_576);
        assertEquals(1024, gate.total());
        HandshakeGate tight = HandshakeGate.within(16, 1024, 40);
        assertEquals(10, tight.total());
        for (int i = 0; i < 10; i++) {
            assertNull(tight.tryOpen(handshake(tight, ip("127.9.0.1"))).dropped());
        }
        assertEquals("the per-source cap fits the derived total", Limit.PENDING_HANDSHAKES_PER_SOURCE,
                tight.tryOpen(handshake(tight, ip("127.9.0.1"))).refused());
    }

    @Test // issue 11: held connections, nofile=256: accept() failing frees the flood's oldest descriptor, not ours
    public void aFailedAcceptDropsTheOldestHandshakeOfTheBusiestPrefix() {
        HandshakeGate gate = new HandshakeGate(100, 100);
        Handshake legit = handshake(gate, ip("127.0.0.1"));
        gate.tryOpen(legit);
        Handshake oldestOfFlood = handshake(gate, ip("127.9.0.1"));
        gate.tryOpen(oldestOfFlood);
        for (int i = 0; i < 5; i++) {
            gate.tryOpen(handshake(gate, ip("127.9.0.2")));
        }
        assertEquals(oldestOfFlood, gate.dropOldestOfBusiestPrefix());
        assertEquals(6, gate.pending());
        assertEquals(5, gate.pendingInPrefixOf(ip("127.9.0.9")));
        for (int i = 0; i < 5; i++) {
            assertNotNull(gate.dropOldestOfBusiestPrefix());
        }
        assertEquals("the legitimate handshake goes last", legit, gate.dropOldestOfBusiestPrefix());
        assertNull("nothing pending: nothing to free", gate.dropOldestOfBusiestPrefix());
        assertTrue(gate.pending() == 0);
    }

    @Test // issue 11: held connections, nofile=256: a handshake dropped before its channel exists sets nothing up
    public void aHandshakeDroppedBeforeItsChannelIsOnlyReset() {
        HandshakeGate gate = new HandshakeGate(4, 4);
        Handshake dropped = handshake(gate, ip("127.9.0.1"));
        gate.tryOpen(dropped);
        gate.dropOldestOfBusiestPrefix().drop();
        EmbeddedChannel child = new EmbeddedChannel();
        assertFalse("the initializer stops: the connection is being reset", dropped.arm(child));
        assertFalse(child.isOpen());
        Handshake kept = handshake(gate, ip("127.9.0.2"));
        gate.tryOpen(kept);
        EmbeddedChannel other = new EmbeddedChannel();
        assertTrue(kept.arm(other));
        assertTrue(other.isOpen());
        other.close();
    }

    private static Handshake handshake(HandshakeGate gate, InetAddress source) {
        return new Handshake(gate, source, 1000, new LimitCounters());
    }

    private static InetAddress ip(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
