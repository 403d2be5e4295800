package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.tcp.protocol.FrameType;
import org.junit.Test;

/**
 * Decision 55: a read's DATA frames go into the receive queue in one step, copied once into chunks, and come out
 * whole, in order, each copied once into the caller's buffer; the bounds, the pause and the FD_READ news mean what
 * they meant per message (decisions 48, 52).
 */
public class ReadBatchTest {
    private static final SOCKADDR FROM = SOCKADDR.of("127.0.0.1", 1);

    /** {@code sizes.length} DATA frames as one read brings them; body {@code i} starts with byte {@code i}. */
    private static ByteBuf read(int... sizes) {
        ByteBuf b = Unpooled.buffer();
        for (int i = 0; i < sizes.length; i++) {
            b.writeInt(1 + sizes[i]).writeByte(FrameType.DATA.code());
            for (int j = 0; j < sizes[i]; j++) {
                b.writeByte(j == 0 ? i : j);
            }
        }
        return b;
    }

    private static ReceivedChunk chain(ByteBuf read, int count) {
        try {
            return ReceivedChunk.chain(read, read.readerIndex(), read.readableBytes(), count, FROM);
        } finally {
            read.release();
        }
    }

    private static int[] sizes(int count, int size) {
        int[] s = new int[count];
        java.util.Arrays.fill(s, size);
        return s;
    }

    // decisions 52, 55: a read holding more messages than the queue's room is queued whole (the bound plus the read
    // in hand, as one message at a time was), in order; its source is paused after it, FD_READ is news only for the
    // read that found the queue empty, and taking down to half resumes the source with every account exact
    @Test
    public void aReadOverTheQueuesRoomIsQueuedWholeInOrderAndPausesItsSource() throws Exception {
        EmbeddedChannel source = new EmbeddedChannel();
        MemoryBudget total = new MemoryBudget("maxReceivedBytes", 1 << 20);
        InboundQueue q = new InboundQueue(4, new MemoryBudget("receiveQueueBytes", 1 << 20), total);
        q.admit(source);
        assertTrue("the first read finds the queue empty: FD_READ news", q.add(chain(read(sizes(2, 1000)), 2), source));
        source.runPendingTasks();
        assertTrue("2 of 4: still reading", source.config().isAutoRead());
        assertFalse("the queue was not empty: no news", q.add(chain(read(sizes(10, 1000)), 10), source));
        source.runPendingTasks();
        assertFalse("the bound reached by the read: the source stops", source.config().isAutoRead());
        assertEquals("every message of the read is kept", 12_000, q.queuedBytes());
        assertTrue("the total covers what is queued", total.used() >= 12_000);
        ByteBuffer into = ByteBuffer.allocate(2000);
        for (int i = 0; i < 12; i++) {
            assertEquals(1000, q.available());
            into.clear();
            assertEquals(1000, q.take(into, null, false));
            assertEquals("message " + i + " in order", i < 2 ? i : i - 2, into.get(0));
            assertEquals(1, into.get(1));
            assertEquals((byte) 999, into.get(999));
            assertEquals(11_000 - 1000 * i, q.queuedBytes());
            source.runPendingTasks();
            assertEquals("message " + i + ": reading again only at half (2 of 4)", i >= 9,
                    source.config().isAutoRead());
        }
        assertEquals(0, q.available());
        assertEquals("an empty queue holds none of the total", 0, q.heldBytes());
        assertEquals(0, total.used());
        source.finishAndReleaseAll();
    }

    // decision 55: chunks stay within ReceivedChunk.MAX_BYTES (what a queue may keep of messages already taken), a
    // larger message gets its own, and a peek leaves the message where it is
    @Test
    public void aLargeReadIsSplitIntoBoundedChunksThatComeOutWholeAndInOrder() throws Exception {
        int big = ReceivedChunk.MAX_BYTES + 100;
        ReceivedChunk first = chain(read(100, 100, big, 3000, 3000, 3000, 100), 7);
        int chunks = 0;
        int messages = 0;
        for (ReceivedChunk c = first; c != null; c = c.next) {
            chunks++;
            messages += c.messages;
            assertTrue("chunk " + chunks + " of " + c.frames.length + " bytes",
                    c.frames.length <= ReceivedChunk.MAX_BYTES || c.messages == 1);
        }
        assertEquals(7, messages);
        assertEquals("100+100 | big | 3000+3000 | 3000+100", 4, chunks);
        InboundQueue q = new InboundQueue(64);
        assertTrue(q.add(first, null));
        int[] lengths = {100, 100, big, 3000, 3000, 3000, 100};
        ByteBuffer into = ByteBuffer.allocate(big);
        SOCKADDR from = new SOCKADDR();
        for (int i = 0; i < lengths.length; i++) {
            into.clear();
            assertEquals(lengths[i], q.take(into, from, true));
            into.clear();
            assertEquals(lengths[i], q.take(into, from, false));
            assertEquals(i, into.get(0));
            assertEquals(FROM, from);
        }
        assertEquals(0, q.queuedBytes());
        assertNull("taken chunks are unlinked", first.next);
    }
}
