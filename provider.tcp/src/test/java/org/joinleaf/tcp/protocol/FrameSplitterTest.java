package org.joinleaf.tcp.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.After;
import org.junit.Test;

/** Issue 11, "nothing before admission costs more than a JOIN": the splitter's limit and what it holds. */
public class FrameSplitterTest {
    private static final int MAX_CONNECT = 100;
    private static final int MAX_MESSAGE = 65536;

    private final FrameSplitter splitter = FrameCodec.newFrameSplitter(MAX_MESSAGE, MAX_CONNECT);
    private final EmbeddedChannel channel = new EmbeddedChannel(splitter);

    @After
    public void finish() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf frame(int type, int bodyLength) {
        ByteBuf b = Unpooled.buffer(5 + bodyLength);
        b.writeInt(1 + bodyLength).writeByte(type).writeZero(bodyLength);
        return b;
    }

    @Test // issue 11: before admission a frame is at most a JOIN's size; after admit() DATA's maximum applies
    public void limitIsAJoinsSizeUntilAdmission() {
        assertEquals(FrameCodec.maxOpeningFrameLength(MAX_CONNECT), splitter.limit());
        assertEquals(5 + 9 + MAX_CONNECT + 64, splitter.limit());
        assertTrue(channel.writeInbound(frame(0x01, splitter.limit() - 5))); // the largest JOIN passes
        ((ByteBuf) channel.readInbound()).release();
        splitter.admit();
        assertTrue(channel.writeInbound(frame(0x05, MAX_MESSAGE)));
        ((ByteBuf) channel.readInbound()).release();
    }

    @Test // issue 11: a length over a JOIN's size before admission fails at the length field
    public void oversizeBeforeAdmissionFailsFast() {
        ByteBuf header = Unpooled.buffer().writeInt(60_000).writeByte(0x05);
        try {
            channel.writeInbound(header);
            fail("a 60,000-byte frame before admission must be refused");
        } catch (TooLongFrameException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("before admission"));
        }
    }

    @Test // issue 11: a partial frame left in a 64 KiB read buffer is moved to a buffer of its own size
    public void partialFrameBeforeAdmissionDoesNotPinABigReadBuffer() {
        ByteBuf read = Unpooled.buffer(65536);
        while (read.writableBytes() > 200) {
            read.writeInt(1).writeByte(0x07); // PINGs, allowed before JOIN
        }
        read.writeInt(1 + 150).writeByte(0x01).writeZero(50); // a JOIN that never completes
        channel.writeInbound(read);
        for (Object f; (f = channel.readInbound()) != null; ) {
            ((ByteBuf) f).release();
        }
        assertTrue("held " + splitter.heldCapacity() + " bytes for a 55-byte partial frame",
                splitter.heldCapacity() <= FrameSplitter.COMPACT_ABOVE);
        channel.writeInbound(Unpooled.buffer().writeZero(100)); // the rest of the JOIN still completes it
        ByteBuf join = channel.readInbound();
        assertEquals(151, join.readableBytes());
        join.release();
    }
}
