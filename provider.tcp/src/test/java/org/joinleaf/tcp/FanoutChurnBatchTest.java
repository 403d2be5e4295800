package org.joinleaf.tcp;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;

import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TransportLoops;
import org.junit.Test;

/**
 * Decision 46 (issue 11 item 7, raw-JOIN case): a loop that fell behind writes each leaf the frames queued for it in
 * one write, also when a member joined between the sends (the root's target list changed: under the flood it changes
 * with every join and displacement). Before, a batch held only frames to the same list, so under churn every frame
 * was a write and a flush per leaf, and the flood's members kept the loops busy. Order per leaf holds (R15).
 */
public class FanoutChurnBatchTest extends RawLeavesFixture {
    public FanoutChurnBatchTest() {
        super(2, 20, "127.21"); // two loops: one held busy, the other admits the new member
    }

    @Test // decision 46: two sends to different target lists, queued on a busy loop: one write per leaf of that loop
    public void framesQueuedAcrossAJoinReachEachLeafInOneWrite() throws Exception {
        Map<EventLoop, AtomicLong> writes = TransportLoops.countWrites(provider.transport());
        EventLoop busy = writes.keySet().iterator().next();
        int onBusy = TransportLoops.connectionsOn(provider.transport(), busy);
        CountDownLatch release = new CountDownLatch(1);
        List<RawLeaf> callers = new ArrayList<>();
        try {
            busy.execute(() -> await(release)); // test only: the busy loop's drains queue behind it
            root.send(ByteBuffer.wrap(new byte[] {1}), null);
            // Two callers: the accepting thread hands connections to the loops in turn, so one of them reaches the
            // free loop, joins, and changes the root's targets; the other waits on the busy loop.
            callers.add(new RawLeaf(root.localAddress(), 0, "127.21.200.1"));
            callers.add(new RawLeaf(root.localAddress(), 0, "127.21.200.2"));
            for (RawLeaf c : callers) {
                c.join(Winsock2.JL_BOTH, new byte[0]);
            }
            sockets.add(awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link of a caller")));
            writes.get(busy).set(0);
            root.send(ByteBuffer.wrap(new byte[] {2}), null);
        } finally {
            release.countDown();
        }
        for (RawLeaf r : leaves) {
            assertArrayEquals("first message first", new byte[] {1}, r.expect(RawLeaf.DATA));
            assertArrayEquals("then the second", new byte[] {2}, r.expect(RawLeaf.DATA));
        }
        long written = writes.get(busy).get();
        assertTrue("the busy loop's " + onBusy + " leaves got both frames in " + written + " writes (one per frame "
                + "and leaf would be " + 2 * onBusy + ")", onBusy > 0 && written < 2L * onBusy);
        callers.forEach(c -> {
            try {
                c.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
