package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.Test;

/**
 * Issue 11 item 7 (partial 64 KiB frames before JOIN, 1024 connections from one /24): accepted connections reach a
 * session loop in turns per prefix, so a legitimate caller from another network does not wait behind every
 * connection a flooding network has in flight ({@link FairHandOff}).
 */
public class FairHandOffTest {
    /** A session loop that has not run its tasks yet: they run when the test says. */
    private final ArrayDeque<Runnable> loop = new ArrayDeque<>();
    private final List<String> ran = new ArrayList<>();

    private static HandshakeGate.Prefix prefix(String address) throws Exception {
        return HandshakeGate.Prefix.of(InetAddress.getByName(address));
    }

    private void runAll() {
        for (Runnable r; (r = loop.poll()) != null; ) {
            r.run();
        }
    }

    @Test
    public void aCallerFromAnotherPrefixIsServedWithinOneTurnOfAFlood() throws Exception {
        FairHandOff handOff = new FairHandOff(loop::add);
        for (int i = 0; i < 1000; i++) {
            int n = i;
            assertTrue(handOff.offer(prefix("127.2.0." + (1 + i % 8)), () -> ran.add("flood " + n)));
        }
        assertTrue(handOff.offer(prefix("127.0.0.100"), () -> ran.add("legitimate")));
        assertEquals(1001, handOff.waiting());
        runAll();
        assertEquals("every hand-off runs once", 1001, ran.size());
        assertTrue("the legitimate caller runs within the first two turns, not after 1000: " + ran.indexOf("legitimate"),
                ran.indexOf("legitimate") <= 1);
        assertEquals("flood 0", ran.get(0));
        assertEquals(0, handOff.waiting());
    }

    @Test
    public void withinAPrefixHandOffsRunInArrivalOrder() throws Exception {
        FairHandOff handOff = new FairHandOff(loop::add);
        for (int i = 0; i < 5; i++) {
            int n = i;
            handOff.offer(prefix("10.0.0." + i), () -> ran.add("a" + n));
            handOff.offer(prefix("10.0.1." + i), () -> ran.add("b" + n));
        }
        runAll();
        assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4"), ran);
    }

    @Test
    public void aLoopShuttingDownTakesNothing() throws Exception {
        FairHandOff handOff = new FairHandOff(task -> {
            throw new RejectedExecutionException("shutting down");
        });
        assertFalse(handOff.offer(prefix("127.0.0.1"), () -> ran.add("never")));
        assertEquals("withdrawn, so the caller closes the connection itself", 0, handOff.waiting());
        assertTrue(ran.isEmpty());
    }
}
