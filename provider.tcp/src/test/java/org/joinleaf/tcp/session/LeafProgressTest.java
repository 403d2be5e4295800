package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/**
 * Decision 38, relative eviction (issue 11, "eviction that punishes the network, not the laggard"; reliability.md
 * E11), without a network: leaves' backlogs are charged by sends and credited when "the kernel takes" them, in the
 * order a shared link and a stalled reader produce. The old rule (past twice the high mark while another leaf is at
 * its low mark) evicted the leaf whose turn on a shared link had not come yet; the rule now asks whether another leaf
 * kept up (made progress, never at its mark) while this one took nothing.
 */
public class LeafProgressTest {
    private static final int HIGH = 64 * 1024;
    private static final int LOW = 32 * 1024;
    private static final int FRAME = 16 * 1024 + 5;

    private static final long GRACE = TimeUnit.MILLISECONDS.toNanos(50);

    private final AtomicLong clock = new AtomicLong();
    /** The nanosecond time source the grace is measured with (RootSocket passes System::nanoTime). */
    private final AtomicLong time = new AtomicLong();

    /** A leaf as RootSocket and LinkSocket see it: a backlog and its progress. */
    private final class Leaf {
        final LeafProgress progress = new LeafProgress(clock, time::get, GRACE);
        long backlog;

        void charge() {
            if (backlog == 0) {
                progress.waiting();
            }
            backlog += FRAME;
            if (backlog >= HIGH) {
                progress.atMark();
            }
        }

        /** Its kernel takes everything Netty holds for it (one wake-up of a flow on a shared link). */
        void takeAll() {
            backlog = 0;
            progress.progressed();
        }

        boolean pastBound() {
            return backlog > 2L * HIGH;
        }
    }

    /** RootSocket.anotherKeptUp: another leaf below its mark kept up while {@code laggard} took nothing. */
    private static boolean behind(Leaf laggard, List<Leaf> leaves) {
        for (Leaf o : leaves) {
            if (o != laggard && o.backlog < HIGH && o.progress.keptUpWhileStalled(laggard.progress)) {
                return true;
            }
        }
        return false;
    }

    private static void send(List<Leaf> leaves) {
        leaves.forEach(Leaf::charge);
    }

    @Test // E11: flows sharing one link take data in turns; the one whose turn has not come is not behind
    public void leavesTakingTurnsOnASharedLinkAreNotBehind() {
        Leaf a = new Leaf();
        Leaf b = new Leaf();
        Leaf c = new Leaf();
        List<Leaf> leaves = List.of(a, b, c);
        for (int round = 0; round < 3; round++) {
            b.takeAll();
            c.takeAll();
            a.takeAll(); // a's turn came last
            while (!a.pastBound()) { // the sender outruns the link: everyone fills up; b's and c' turns come late
                send(leaves);
                if (b.backlog > HIGH + FRAME) {
                    b.takeAll();
                }
                if (c.backlog > 2L * HIGH - FRAME) {
                    c.takeAll();
                }
            }
            assertTrue("the old rule's trigger: another leaf at its low mark", b.backlog <= LOW || c.backlog <= LOW);
            assertFalse("round " + round + ": a waits for its turn, it did not fall behind", behind(a, leaves));
        }
    }

    @Test // RobustnessTest / scorecard 2: a reader that stops while another keeps up is behind at its bound
    public void aStalledLeafBesideOneThatKeepsUpIsBehind() {
        Leaf stalled = new Leaf();
        Leaf healthy = new Leaf();
        List<Leaf> leaves = stallBeside(stalled, healthy);
        assertTrue(behind(stalled, leaves));
        assertFalse("the healthy one is never behind the stalled one", behind(healthy, leaves));
    }

    @Test // decision 38's grace: behind the others, a leaf goes only once it took nothing for slowLeafGraceMillis
    public void aLeafBehindTheOthersIsEvictedOnlyAfterItsGrace() {
        Leaf stalled = new Leaf();
        Leaf healthy = new Leaf();
        List<Leaf> leaves = stallBeside(stalled, healthy);
        assertTrue(behind(stalled, leaves));
        time.addAndGet(GRACE - 1);
        assertTrue("within its grace (a flow starved for a while on a shared link)", stalled.progress.graceLeft() > 0);
        time.incrementAndGet();
        assertEquals(0, stalled.progress.graceLeft());
    }

    @Test // the grace counts from when data began to wait for the leaf, not from its last write before an idle spell
    public void idleTimeIsNotStarvation() {
        Leaf leaf = new Leaf();
        leaf.charge();
        leaf.takeAll();
        time.addAndGet(TimeUnit.SECONDS.toNanos(10)); // nothing sent meanwhile
        leaf.charge();
        assertEquals(GRACE, leaf.progress.graceLeft());
    }

    @Test // the stalled leaf takes something: it is judged afresh from there
    public void progressOfItsOwnClearsALaggard() {
        Leaf slow = new Leaf();
        Leaf fast = new Leaf();
        List<Leaf> leaves = stallBeside(slow, fast);
        assertTrue(behind(slow, leaves));
        slow.progress.progressed(); // one write of it completed
        assertFalse("nobody kept up since its progress yet", behind(slow, leaves));
        fast.takeAll();
        assertTrue(behind(slow, leaves));
    }

    /** {@code stalled} takes its last write, then sends go on until its bound while {@code healthy} takes each. */
    private static List<Leaf> stallBeside(Leaf stalled, Leaf healthy) {
        List<Leaf> leaves = List.of(stalled, healthy);
        stalled.takeAll();
        while (!stalled.pastBound()) {
            send(leaves);
            healthy.takeAll(); // its kernel takes each frame as it comes
        }
        return leaves;
    }

    @Test // every leaf behind together: nobody kept up, so nobody is evicted (the sender gets back-pressure)
    public void whenEveryLeafIsBehindNoneIsBehindTheOthers() {
        Leaf a = new Leaf();
        Leaf b = new Leaf();
        List<Leaf> leaves = List.of(a, b);
        while (!a.pastBound()) {
            send(leaves);
        }
        assertFalse(behind(a, leaves));
        assertFalse(behind(b, leaves));
    }

    @Test // a leaf that joined after the laggard's last progress has no history to compare (the timer judges then)
    public void aLeafJoinedLaterDoesNotCount() {
        Leaf old = new Leaf();
        old.takeAll();
        old.backlog = 2L * HIGH + FRAME;
        Leaf joined = new Leaf();
        assertFalse(behind(old, List.of(old, joined)));
        joined.charge();
        joined.takeAll();
        assertFalse("it joined after the old one's last progress", behind(old, List.of(old, joined)));
        old.takeAll();
        old.backlog = 2L * HIGH + FRAME;
        joined.charge();
        joined.takeAll();
        assertTrue("it took a frame below its mark while the old one took nothing", behind(old, List.of(old, joined)));
    }
}
