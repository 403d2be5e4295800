package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.FD_WRITE_BIT;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.SIO_SET_QOS;
import static org.joinleaf.api.Winsock2.WSAEWOULDBLOCK;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TransportLoops;
import org.junit.Test;

/**
 * Pacing of sending flows through the SPI (plain objects): a send over the token budget fails with
 * {@code WSAEWOULDBLOCK} and {@code FD_WRITE} follows when tokens return; messages larger than the bucket go out
 * after being paid in chunks; an unshaped flow of the same root is not held back. Issue 5 item 3; functional
 * assertions only (no timing).
 */
public class QosShapingTest extends QosFixture {
    private static final int BUCKET = 1000;

    private RecordingUpcalls rootUp;
    private MultipointSocket root;

    private ProviderFixture.Member shapedLeaf(String name, QOS q) throws Exception {
        if (root == null) {
            rootUp = new RecordingUpcalls("root");
            root = qosSocket(true, C_ROOT_D_ROOT, rootUp); // QoS-capable, for SIO_SET_QOS on the root
            root.bind(SOCKADDR.of("127.0.0.1", 0));
            root.listen(Winsock2.SOMAXCONN);
        }
        RecordingUpcalls leafUp = new RecordingUpcalls(name);
        MultipointSocket leaf = qosSocket(true, C_LEAF_D_LEAF, leafUp);
        RecordingCompletion done = new RecordingCompletion();
        leaf.join(qosRequest(root.localAddress(), q, JL_BOTH), done);
        RecordingUpcalls linkUp = new RecordingUpcalls("link of " + name);
        closeLater(awaitRequest(root, rootUp).accept(null, linkUp));
        done.awaitConnected();
        return new ProviderFixture.Member(leaf, leafUp, null, linkUp);
    }

    @Test // item 3: non-blocking send over budget -> WSAEWOULDBLOCK, then FD_WRITE when tokens return, then it goes
    public void sendOverBudgetWouldBlockThenFdWrite() throws Exception {
        Member m = shapedLeaf("leaf", controlledLoad(RATE, BUCKET));
        assertEquals("the bucket starts full", BUCKET, m.leaf.send(ByteBuffer.allocate(BUCKET), null));
        expectWsa(WSAEWOULDBLOCK, () -> m.leaf.send(ByteBuffer.allocate(100), null));
        assertEquals(0, m.leafUp.await(FD_WRITE_BIT));
        assertEquals(100, m.leaf.send(ByteBuffer.allocate(100), null));
    }

    @Test // issue 14 item 5: the token wake-up does not wait for the session loops a flood keeps busy
    public void tokensReturnWhileEverySessionLoopIsBusy() throws Exception {
        Member m = shapedLeaf("leaf", controlledLoad(RATE, BUCKET));
        assertEquals(BUCKET, m.leaf.send(ByteBuffer.allocate(BUCKET), null));
        CountDownLatch release = new CountDownLatch(1);
        try {
            for (EventExecutor loop : TransportLoops.of(provider.transport())) {
                loop.execute(() -> { // test only: every session loop held busy, as a flood would
                    try {
                        release.await(RecordingUpcalls.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            // A whole bucket more: its tokens take a second, so a loaded machine cannot refill them meanwhile.
            expectWsa(WSAEWOULDBLOCK, () -> m.leaf.send(ByteBuffer.allocate(BUCKET), null));
            assertEquals("FD_WRITE while the loops are still held", 0, m.leafUp.await(FD_WRITE_BIT));
            assertEquals("not released by a timeout", 1, release.getCount());
        } finally {
            release.countDown();
        }
    }

    @Test // item 3, rule for messages over TokenBucketSize: paid in bucket-sized chunks across retries, sent whole
    public void messageLargerThanTheBucketGoesOutWhole() throws Exception {
        Member m = shapedLeaf("leaf", controlledLoad(10 * RATE, BUCKET));
        byte[] big = new byte[3 * BUCKET + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        int refusals = 0;
        while (true) {
            try {
                assertEquals(big.length, m.leaf.send(ByteBuffer.wrap(big), null));
                break;
            } catch (WsaException e) {
                assertEquals(e.toString(), WSAEWOULDBLOCK, e.code());
                assertTrue("bounded: a few chunks, not " + refusals, ++refusals <= 10);
                assertEquals(0, m.leafUp.await(FD_WRITE_BIT));
            }
        }
        assertTrue("a message over the bucket waits for tokens at least once", refusals >= 1);
        rootUp.until("the message at the root", () -> root.available() > 0);
        ByteBuffer got = ByteBuffer.allocate(big.length);
        assertEquals(big.length, root.receive(got, null, false));
        assertArrayEquals(big, got.array());
    }

    @Test // item 3: an unshaped flow on the same root is not slowed by an exhausted shaped one
    public void unshapedFlowOnTheSameRootIsNotHeldBack() throws Exception {
        Member shaped = shapedLeaf("shaped", controlledLoad(RATE, BUCKET));
        Member free = shapedLeaf("unshaped", null);
        shaped.leaf.send(ByteBuffer.allocate(BUCKET), null);
        expectWsa(WSAEWOULDBLOCK, () -> shaped.leaf.send(ByteBuffer.allocate(BUCKET), null));
        // 50 KB: below the write high water mark, so only shaping could refuse; at "1 KB/s" it would take 50 s
        for (int i = 0; i < 50; i++) {
            assertEquals(1000, free.leaf.send(ByteBuffer.allocate(1000), null));
        }
        rootUp.until("50 messages at the root", () -> countReceived(50));
    }

    private int received;

    private boolean countReceived(int wanted) {
        try {
            while (root.available() > 0) {
                root.receive(ByteBuffer.allocate(65536), null, false);
                received++;
            }
        } catch (WsaException e) {
            throw new AssertionError(e);
        }
        return received >= wanted;
    }

    @Test // item 3 on the c_root: SIO_SET_QOS on the root paces its fan-out, each message counted once
    public void rootFlowIsPaced() throws Exception {
        Member a = shapedLeaf("a", null);
        shapedLeaf("b", null);
        root.ioctl(SIO_SET_QOS, controlledLoad(RATE, BUCKET), null);
        assertEquals(BUCKET, root.send(ByteBuffer.allocate(BUCKET), null));
        expectWsa(WSAEWOULDBLOCK, () -> root.send(ByteBuffer.allocate(10), null));
        assertEquals(0, rootUp.await(FD_WRITE_BIT));
        assertEquals(10, root.send(ByteBuffer.allocate(10), null));
        a.leafUp.until("both messages at leaf a", () -> a.leaf.available() > 0);
    }
}
