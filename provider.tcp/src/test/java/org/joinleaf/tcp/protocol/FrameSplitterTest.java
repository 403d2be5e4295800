package org.joinleaf.tcp.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** One body at a time. */
    private interface BodySink {
        boolean body(ByteBuf frame, int index, int length);
    }

    /** A sink that hands {@code bodies} each body of a run of DATA frames in turn. */
    private static FrameSplitter.DataSink eachBody(BodySink bodies) {
        return (frames, index, length, count) -> {
            for (int at = index, n = 0; n < count; n++) {
                int frameLength = frames.getInt(at);
                bodies.body(frames, at + FrameCodec.HEADER, frameLength - 1);
                at += FrameCodec.LENGTH_FIELD + frameLength;
            }
            return true;
        };
    }

    private static ByteBuf data(String body) {
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        return Unpooled.buffer().writeInt(1 + b.length).writeByte(0x05).writeBytes(b);
    }

    @Test // issue 14: an admitted member's DATA goes to its sink in place, in order with the frames passed on
    public void admittedDataGoesToTheSinkInArrivalOrder() {
        List<String> seen = new ArrayList<>();
        splitter.deliverDataTo(eachBody((frame, index, length) -> {
            seen.add(frame.toString(index, length, StandardCharsets.US_ASCII));
            return true;
        }), MAX_MESSAGE);
        ByteBuf before = Unpooled.buffer().writeBytes(data("early")); // before admission: passed on, not sunk
        channel.writeInbound(before);
        ByteBuf early = channel.readInbound();
        assertEquals(6, early.readableBytes());
        early.release();
        splitter.admit();
        ByteBuf read = Unpooled.buffer();
        read.writeBytes(data("a")).writeInt(1).writeByte(0x07).writeBytes(data("b")); // DATA, PING, DATA in one read
        channel.writeInbound(read);
        assertEquals(List.of("a", "b"), seen);
        ByteBuf ping = channel.readInbound();
        assertEquals(1, ping.readableBytes());
        ping.release();
        assertEquals(null, channel.readInbound());
    }

    @Test // decision 55: the DATA frames in a row of one read reach the sink in one call, frames passed on between
    // runs keep their place, and DATA over maxMessageSize fails only after the run before it was delivered
    public void aReadsDataFramesInARowReachTheSinkInOneCall() {
        List<String> runs = new ArrayList<>();
        splitter.deliverDataTo((frames, index, length, count) -> {
            StringBuilder run = new StringBuilder();
            eachBody((frame, at, n) -> run.append(frame.toString(at, n, StandardCharsets.US_ASCII)) != null)
                    .data(frames, index, length, count);
            runs.add(count + ":" + run);
            return true;
        }, 4);
        splitter.admit();
        ByteBuf read = Unpooled.buffer();
        read.writeBytes(data("a")).writeBytes(data("bb")).writeBytes(data("ccc")).writeInt(1).writeByte(0x07)
                .writeBytes(data("d")).writeBytes(data("e")).writeInt(4).writeByte(FrameType.DATA.code()); // partial
        channel.writeInbound(read);
        assertEquals(List.of("3:abbccc", "2:de"), runs);
        ByteBuf ping = channel.readInbound();
        assertEquals(1, ping.readableBytes());
        ping.release();
        try {
            channel.writeInbound(Unpooled.buffer().writeBytes("xyz".getBytes(StandardCharsets.US_ASCII))
                    .writeBytes(data("f")).writeBytes(data("large")).writeBytes(data("g")));
            fail("a 5-byte DATA over a 4-byte maxMessageSize must be refused");
        } catch (ProtocolViolationException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("exceeds maxMessageSize"));
        }
        assertEquals("the partial frame completed, then f: nothing after the violation",
                List.of("3:abbccc", "2:de", "2:xyzf"), runs);
    }

    @Test // issue 14: DATA the sink declines (not a member yet) is passed on as a frame, not lost
    public void declinedDataIsPassedOn() {
        splitter.deliverDataTo((frames, index, length, count) -> false, MAX_MESSAGE);
        splitter.admit();
        channel.writeInbound(data("x"));
        ByteBuf x = channel.readInbound();
        assertEquals(2, x.readableBytes());
        x.release();
    }

    @Test // PROTOCOL.md §6 on the fast path: DATA over maxMessageSize is a violation, and nothing after it is read
    public void oversizeDataToTheSinkIsAViolation() {
        List<String> seen = new ArrayList<>();
        splitter.deliverDataTo(eachBody((frame, index, length) -> seen.add("data")), 3);
        splitter.admit();
        try {
            channel.writeInbound(Unpooled.buffer().writeBytes(data("four")).writeBytes(data("ok")));
            fail("a 4-byte DATA over a 3-byte maxMessageSize must be refused");
        } catch (ProtocolViolationException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("exceeds maxMessageSize"));
        }
        assertEquals(List.of(), seen);
    }

    @Test // issue 14 item 6 / issue 11 item 4, RootSocket.relay's bound: a connection paused (autoRead off) while its
    // DATA went to the sink is not read again: ByteToMessageDecoder asks for a read after a read that fired nothing
    public void aConnectionPausedByTheSinkIsNotReadAgain() {
        AtomicInteger readsAsked = new AtomicInteger();
        EmbeddedChannel paused = new EmbeddedChannel();
        paused.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                readsAsked.incrementAndGet();
                ctx.read();
            }
        });
        FrameSplitter relaying = FrameCodec.newFrameSplitter(MAX_MESSAGE, MAX_CONNECT);
        relaying.deliverDataTo((frames, index, length, count) -> {
            paused.config().setAutoRead(false); // as ReadGate.pause does when a relay target reaches its mark
            return true;
        }, MAX_MESSAGE);
        relaying.admit();
        paused.pipeline().addLast(relaying);
        readsAsked.set(0);
        ByteBuf read = Unpooled.buffer();
        read.writeBytes(data("a")).writeBytes(data("b")).writeInt(10).writeByte(FrameType.DATA.code()); // + a partial
        paused.writeInbound(read);
        try {
            assertEquals("reads asked of a paused connection", 0, readsAsked.get());
        } finally {
            paused.finishAndReleaseAll();
        }
    }
}
