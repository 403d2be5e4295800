package org.joinleaf.tcp.protocol;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.joinleaf.api.QOS;
import org.joinleaf.api.Winsock2;
import org.junit.After;
import org.junit.Test;

/** The wire protocol of PROTOCOL.md on an EmbeddedChannel: every frame type round trips; bad input fails fast. */
public class FrameCodecTest {
    private static final int MAX_MESSAGE = 1000;
    private static final int MAX_CONNECT = 64;

    private EmbeddedChannel channel = newChannel();

    private static EmbeddedChannel newChannel() {
        return new EmbeddedChannel(FrameCodec.newFrameSplitter(FrameCodec.maxFrameLength(MAX_MESSAGE, MAX_CONNECT)),
                new FrameDecoder(MAX_CONNECT, MAX_MESSAGE), FrameEncoder.INSTANCE);
    }

    @After
    public void finish() {
        channel.finishAndReleaseAll();
    }

    /** Writes {@code frame} outbound, feeds the bytes back inbound, returns what was decoded. */
    private Frame roundTrip(Frame frame) {
        assertTrue(channel.writeOutbound(frame));
        ByteBuf wire = channel.readOutbound();
        assertEquals("length prefix counts type + body", wire.readableBytes() - 4, wire.getInt(0));
        assertTrue(channel.writeInbound(wire));
        Frame decoded = channel.readInbound();
        assertNull(channel.readInbound());
        return decoded;
    }

    @Test // PROTOCOL.md §4.1: JOIN with caller data and flowspecs
    public void joinRoundTrips() {
        QOS qos = new QOS();
        qos.SendingFlowspec.TokenRate = 1000;
        qos.ReceivingFlowspec.ServiceType = Winsock2.SERVICETYPE_BESTEFFORT;
        Frame.Join f = (Frame.Join) roundTrip(new Frame.Join(false, FrameCodec.VERSION, Winsock2.JL_BOTH,
                "hello".getBytes(StandardCharsets.US_ASCII), qos));
        assertFalse(f.invite());
        assertEquals(Winsock2.JL_BOTH, f.direction());
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), f.callerData());
        assertEquals(qos, f.qos());
    }

    @Test // PROTOCOL.md §4.2: INVITE without caller data or QoS
    public void inviteRoundTrips() {
        Frame.Join f = (Frame.Join) roundTrip(new Frame.Join(true, FrameCodec.VERSION, Winsock2.JL_RECEIVER_ONLY,
                new byte[0], null));
        assertTrue(f.invite());
        assertEquals(FrameType.INVITE, f.type());
        assertEquals(Winsock2.JL_RECEIVER_ONLY, f.direction());
        assertEquals(0, f.callerData().length);
        assertNull(f.qos());
    }

    @Test // PROTOCOL.md §4.3-4.7: ACCEPT, REJECT, LEAVE, PING, PONG
    public void controlFramesRoundTrip() {
        assertArrayEquals(new byte[] {1, 2, 3}, ((Frame.Accept) roundTrip(new Frame.Accept(new byte[] {1, 2, 3})))
                .calleeData());
        assertEquals(0, ((Frame.Accept) roundTrip(new Frame.Accept(new byte[0]))).calleeData().length);
        assertEquals(Winsock2.WSAECONNREFUSED, ((Frame.Reject) roundTrip(new Frame.Reject(Winsock2.WSAECONNREFUSED)))
                .code());
        assertEquals(Winsock2.WSAECONNABORTED, ((Frame.Leave) roundTrip(new Frame.Leave(Winsock2.WSAECONNABORTED)))
                .code());
        assertEquals(FrameType.PING, roundTrip(new Frame.Ping()).type());
        assertEquals(FrameType.PONG, roundTrip(new Frame.Pong()).type());
    }

    @Test // PROTOCOL.md §4.4: DATA keeps message boundaries, including empty and maximum-size messages
    public void dataRoundTripsWithBoundaries() {
        byte[] big = new byte[MAX_MESSAGE];
        big[MAX_MESSAGE - 1] = 42;
        ByteBuf wire = Unpooled.buffer();
        for (byte[] m : new byte[][] {"a".getBytes(StandardCharsets.US_ASCII), new byte[0], big}) {
            ByteBuf f = FrameCodec.encodeData(channel.alloc(), ByteBuffer.wrap(m));
            wire.writeBytes(f);
            f.release();
        }
        assertTrue(channel.writeInbound(wire)); // three frames in one read
        for (int expected : new int[] {1, 0, MAX_MESSAGE}) {
            Frame.Data d = channel.readInbound();
            assertEquals(expected, d.content().readableBytes());
            d.release();
        }
    }

    @Test // PROTOCOL.md §2: frames split across reads are reassembled
    public void partialFramesAreReassembled() {
        ByteBuf f = FrameCodec.encode(channel.alloc(), new Frame.Reject(Winsock2.WSAECONNREFUSED));
        assertFalse(channel.writeInbound(f.readRetainedSlice(3)));
        assertTrue(channel.writeInbound(f));
        assertEquals(Winsock2.WSAECONNREFUSED, ((Frame.Reject) channel.readInbound()).code());
    }

    @Test // reliability: oversize frame -> TooLongFrameException before buffering (fail-fast)
    public void oversizeFrameFailsFast() {
        ByteBuf wire = Unpooled.buffer().writeInt(1 + MAX_MESSAGE + 1000).writeByte(FrameType.DATA.code());
        expectFailure(wire, TooLongFrameException.class);
    }

    @Test // reliability: malformed frames -> ProtocolViolationException naming the problem
    public void malformedFramesAreViolations() {
        expectViolation(frame(0x7F), "unknown frame type");
        expectViolation(frame(FrameType.JOIN.code(), 0, 0, 0, 0, 1, 4, 0, 0, 0), "magic");
        expectViolation(join(2, Winsock2.JL_BOTH), "version");
        expectViolation(join(FrameCodec.VERSION, 3), "direction");
        expectViolation(frame(FrameType.REJECT.code(), 0, 0), "truncated");
        expectViolation(frame(FrameType.PING.code(), 9), "trailing");
        expectViolation(Unpooled.buffer().writeInt(0), "empty frame");
        expectViolation(frame(FrameType.ACCEPT.code(), 0, MAX_CONNECT + 1), "exceeds the limit");
    }

    @Test // PROTOCOL.md §6: DATA over maxMessageSize is a violation even where a JOIN makes frames larger
    public void dataOverMaxMessageSizeIsViolation() {
        channel.finishAndReleaseAll();
        int tiny = 10;
        channel = new EmbeddedChannel(FrameCodec.newFrameSplitter(FrameCodec.maxFrameLength(tiny, MAX_CONNECT)),
                new FrameDecoder(MAX_CONNECT, tiny));
        expectViolation(Unpooled.buffer().writeInt(1 + tiny + 1).writeByte(FrameType.DATA.code())
                .writeZero(tiny + 1), "exceeds maxMessageSize");
    }

    private ByteBuf join(int version, int direction) {
        return frame(FrameType.JOIN.code(), 0x4A, 0x4C, 0x54, 0x50, version, direction, 0, 0, 0);
    }

    private static ByteBuf frame(int... bytes) {
        ByteBuf b = Unpooled.buffer().writeInt(bytes.length);
        for (int x : bytes) {
            b.writeByte(x);
        }
        return b;
    }

    private void expectViolation(ByteBuf wire, String fragment) {
        DecoderException e = expectFailure(wire, ProtocolViolationException.class);
        assertTrue(e.getMessage(), e.getMessage().contains(fragment));
        channel.finishAndReleaseAll();
        channel = newChannel();
    }

    private <T extends DecoderException> T expectFailure(ByteBuf wire, Class<T> type) {
        try {
            channel.writeInbound(wire);
            channel.checkException();
            fail("expected " + type.getSimpleName());
            return null;
        } catch (DecoderException e) {
            if (!type.isInstance(e)) {
                throw e;
            }
            return type.cast(e);
        }
    }

    /**
     * Decision 57: a control frame is encoded into a buffer of its own size (each join writes a JOIN and an ACCEPT
     * into unpooled memory before admission; the allocator's 256 B default was most of it), never grown.
     */
    @Test
    public void controlFramesAreEncodedIntoBuffersOfExactlyTheirSize_decision57() {
        QOS qos = new QOS();
        Frame[] frames = {new Frame.Join(false, FrameCodec.VERSION, Winsock2.JL_BOTH, new byte[16], null),
            new Frame.Join(true, FrameCodec.VERSION, Winsock2.JL_BOTH, new byte[3], qos),
            new Frame.Accept(new byte[16]), new Frame.Accept(new byte[0]), new Frame.Reject(Winsock2.WSAECONNREFUSED),
            new Frame.Leave(0), new Frame.Ping(), new Frame.Pong()};
        for (Frame frame : frames) {
            ByteBuf out = FrameCodec.encode(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, frame);
            try {
                assertEquals(frame.type() + ": size", FrameCodec.encodedSize(frame), out.readableBytes());
                assertEquals(frame.type() + ": capacity", out.readableBytes(), out.capacity());
            } finally {
                out.release();
            }
        }
    }
}
