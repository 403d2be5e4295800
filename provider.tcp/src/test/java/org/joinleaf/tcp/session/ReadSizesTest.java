package org.joinleaf.tcp.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.Test;

/**
 * Decision 49 / issue 14 item 6: a member's reads grow to the high water mark after admission. Netty keeps the
 * handle a channel's allocator gave at its first read, so replacing the allocator at admission left members on the
 * 4 KiB reads of a connection not admitted yet.
 */
public class ReadSizesTest {
    private static final int HIGH = 65536;

    @Test
    public void readsGrowToTheHighMarkAfterAdmissionThroughTheHandleNettyKept() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ReadSizes.install(ch);
        RecvByteBufAllocator.Handle kept = ch.unsafe().recvBufAllocHandle(); // the first read caches it
        assertTrue("before admission: " + fullReads(ch, kept), fullReads(ch, kept) <= TcpTransport.PRE_ADMISSION_READ);

        ch.config().setWriteBufferHighWaterMark(HIGH);
        PeerChannelHandler.admitFrames(ch);
        assertEquals("Netty still uses the handle it kept", kept, ch.unsafe().recvBufAllocHandle());
        assertEquals("a member's read is the high water mark at most, and grows to it", HIGH, fullReads(ch, kept));
        ch.finishAndReleaseAll();
    }

    /** Read turns in which every read fills its buffer (a flooding peer); returns the last read's size. */
    private static int fullReads(EmbeddedChannel ch, RecvByteBufAllocator.Handle handle) {
        int last = 0;
        for (int turn = 0; turn < 20; turn++) {
            handle.reset(ch.config());
            ByteBuf buf = handle.allocate(UnpooledByteBufAllocator.DEFAULT);
            last = buf.writableBytes();
            handle.lastBytesRead(last);
            handle.incMessagesRead(1);
            handle.readComplete();
            buf.release();
        }
        return last;
    }
}
