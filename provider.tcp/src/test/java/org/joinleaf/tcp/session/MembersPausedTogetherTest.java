package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.SOCKADDR;
import org.junit.Test;

/**
 * Decision 52 (issue 11 item 1, reliability.md E3): a root's receive queue that fills stops every member reading, not
 * only the one whose message filled it, and a member admitted while it is full starts paused. Before, each of 320
 * members could add one 64 KiB message to a full 1 MiB queue: 20 MiB queued.
 */
public class MembersPausedTogetherTest {
    private static final int MEMBERS = 320;
    private static final int SIZE = 64 * 1024;

    private static ReceivedChunk message(int from) {
        return TestMessages.message(new byte[SIZE], SOCKADDR.of("127.13.0.1", from));
    }

    @Test
    public void aFullQueuePausesEveryMemberAndNewMembersStartPaused() {
        InboundQueue q = new InboundQueue(1024, new MemoryBudget("receiveQueueBytes", 1 << 20),
                new MemoryBudget("maxReceivedBytes", 4 << 20));
        List<EmbeddedChannel> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            EmbeddedChannel m = new EmbeddedChannel();
            q.admit(m);
            members.add(m);
        }
        // members deliver until the queue is full: a paused member reads nothing more (PausedInput holds it)
        int delivered = 0;
        for (EmbeddedChannel m : members) {
            if (!m.config().isAutoRead()) {
                continue;
            }
            q.add(message(delivered++), m);
            m.runPendingTasks();
        }
        assertEquals("the 1 MiB queue fills with 16 messages of 64 KiB; then nobody is read", 16, delivered);
        for (EmbeddedChannel m : members) {
            assertFalse("every member paused", m.config().isAutoRead());
        }
        EmbeddedChannel late = new EmbeddedChannel();
        q.admit(late);
        late.runPendingTasks();
        assertFalse("a member admitted while the queue is full starts paused", late.config().isAutoRead());
        assertTrue(q.queuedBytes() <= 1 << 20);
    }

    @Test
    public void takingTheQueueDownToHalfResumesEveryMember() throws Exception {
        InboundQueue q = new InboundQueue(1024, new MemoryBudget("receiveQueueBytes", 1 << 20),
                new MemoryBudget("maxReceivedBytes", 4 << 20));
        List<EmbeddedChannel> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            EmbeddedChannel m = new EmbeddedChannel();
            q.admit(m);
            members.add(m);
        }
        for (int i = 0; i < 16; i++) {
            q.add(message(i), members.get(0));
        }
        members.forEach(EmbeddedChannel::runPendingTasks);
        members.forEach(m -> assertFalse(m.config().isAutoRead()));
        ByteBuffer buffer = ByteBuffer.allocate(SIZE);
        for (int i = 0; i < 8; i++) {
            buffer.clear();
            q.take(buffer, null, false);
        }
        members.forEach(EmbeddedChannel::runPendingTasks);
        for (EmbeddedChannel m : members) {
            assertTrue("resumed once the queue is down to half", m.config().isAutoRead());
        }
        EmbeddedChannel late = new EmbeddedChannel();
        q.admit(late);
        assertTrue("a member admitted after the resume reads", late.config().isAutoRead());
    }
}
