package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.junit.Test;

/**
 * The receive queue's flow control: a full queue pauses the connection that filled it, taking it down to half
 * resumes it, and the channel's reading always ends matching the queue's state (a resume must never be undone by a
 * pause that was decided earlier but applied later).
 */
public class InboundQueueTest {
    private static final SOCKADDR FROM = SOCKADDR.of("127.0.0.1", 1);

    private static InboundQueue.Message message(int i) {
        return new InboundQueue.Message(new byte[] {(byte) i}, FROM);
    }

    @Test
    public void aFullQueuePausesItsSourceAndTakingHalfResumesIt() throws Exception {
        EmbeddedChannel source = new EmbeddedChannel();
        InboundQueue q = new InboundQueue(4);
        for (int i = 0; i < 3; i++) {
            q.add(message(i), source);
        }
        assertTrue("below capacity: still reading", source.config().isAutoRead());
        q.add(message(3), source);
        source.runPendingTasks();
        assertFalse("full: the source stops reading", source.config().isAutoRead());
        q.add(message(4), source); // a frame already split from the last read still arrives
        ByteBuffer into = ByteBuffer.allocate(8);
        for (int i = 0; i < 3; i++) {
            into.clear();
            assertEquals(1, q.take(into, null, false));
            assertEquals(i, into.get(0));
        }
        source.runPendingTasks();
        assertTrue("down to half: reading again", source.config().isAutoRead());
        source.finishAndReleaseAll();
    }

    @Test
    public void aResumeDecidedAfterAPauseWinsWhicheverIsAppliedLast() throws Exception {
        EmbeddedChannel source = new EmbeddedChannel();
        InboundQueue q = new InboundQueue(2);
        q.add(message(0), source);
        q.add(message(1), source); // full: pause decided
        source.runPendingTasks();
        // the application drains the queue (resume decided) while the channel is still set to the old value
        source.config().setAutoRead(false);
        q.take(ByteBuffer.allocate(4), null, false);
        q.take(ByteBuffer.allocate(4), null, false);
        source.runPendingTasks();
        assertTrue("the queue is empty: the channel must read", source.config().isAutoRead());
        source.finishAndReleaseAll();
    }
}
