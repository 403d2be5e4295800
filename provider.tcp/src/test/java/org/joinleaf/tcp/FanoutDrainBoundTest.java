package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.tcp.session.TransportLoops;
import org.junit.Test;

/**
 * Issue 11 item 7, raw-JOIN case: a fan-out drain writes to at most 256 leaves before it gives its event loop back
 * (to read sockets, a new member's JOIN among them), so a send to more leaves of one loop takes several tasks; a LEAVE
 * written after the send still reaches every leaf behind the DATA (R15 order per leaf).
 */
public class FanoutDrainBoundTest extends RawLeavesFixture {
    private static final int LEAVES = 300; // more than one drain's 256 leaf writes, all on the one loop

    public FanoutDrainBoundTest() {
        super(1, LEAVES, "127.20");
    }

    @Test // issue 11 item 7: one drain's leaf writes are bounded; the loop runs other work before the rest
    public void aSendToManyLeavesLeavesTheLoopBetweenDrains() throws Exception {
        EventExecutor loop = TransportLoops.of(provider.transport()).next();
        AtomicLong queuedAtProbe = new AtomicLong(-1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            loop.execute(() -> await(release)); // test only: the drain queues behind it
            root.send(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), null);
            // queued after the first drain: what that drain wrote is out of maxQueuedBytes, the rest is still in it
            loop.execute(() -> queuedAtProbe.set(provider.transport().queuedBytes()));
        } finally {
            release.countDown();
        }
        for (RawLeaf r : leaves) {
            assertEquals("every leaf gets the message", 4, r.expect(RawLeaf.DATA).length);
        }
        assertTrue("the first drain left some of the " + LEAVES + " leaves to a later task (queued bytes then: "
                + queuedAtProbe.get() + ")", queuedAtProbe.get() > 0);
        rootUp.until("budget back to zero", () -> provider.transport().queuedBytes() == 0);
    }

    @Test // R15 order per leaf: a LEAVE written after a send is not overtaken by it, though the send takes two drains
    public void leaveQueuedAfterDataArrivesBehindIt() throws Exception {
        EventExecutor loop = TransportLoops.of(provider.transport()).next();
        CountDownLatch release = new CountDownLatch(1);
        try {
            loop.execute(() -> await(release));
            root.send(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), null);
            root.close(); // every leaf gets LEAVE(0)
        } finally {
            release.countDown();
        }
        for (int i = 0; i < LEAVES; i++) {
            RawLeaf r = leaves.get(i);
            assertEquals("leaf " + i + ": DATA first", 4, r.expect(RawLeaf.DATA).length);
            assertEquals("leaf " + i + ": then LEAVE(0)", 0, ByteBuffer.wrap(r.expect(RawLeaf.LEAVE)).getInt());
        }
    }
}
