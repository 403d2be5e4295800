package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.TransportLoops;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Issue 11 item 7, raw-JOIN case: a fan-out drain writes to at most 256 leaves before it gives its event loop back
 * (to read sockets, a new member's JOIN among them), so a send to more leaves of one loop takes several tasks; a LEAVE
 * written after the send still reaches every leaf behind the DATA (R15 order per leaf).
 */
public class FanoutDrainBoundTest extends ProviderFixture {
    private static final int LEAVES = 300; // more than one drain's 256 leaf writes, all on the one loop

    private final RecordingUpcalls rootUp = new RecordingUpcalls("root");
    private final List<RawLeaf> leaves = new ArrayList<>();
    private MultipointSocket root;

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.eventLoopThreads = 1;
        return b;
    }

    @Before
    public void joinLeaves() throws Exception {
        root = listeningRoot(true, rootUp);
        for (int i = 0; i < LEAVES; i++) { // a source each: no per-source join rate in the way
            RawLeaf raw = new RawLeaf(root.localAddress(), 0, "127.20." + (i / 200) + "." + (i % 200 + 1));
            leaves.add(raw);
            raw.join(Winsock2.JL_BOTH, new byte[0]);
            sockets.add(awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link " + i)));
            raw.expect(RawLeaf.ACCEPT);
        }
    }

    @After
    public void closeLeaves() throws IOException {
        for (RawLeaf r : leaves) {
            r.close();
        }
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

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
