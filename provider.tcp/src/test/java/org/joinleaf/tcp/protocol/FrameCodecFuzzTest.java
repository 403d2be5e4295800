package org.joinleaf.tcp.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Arrays;

/**
 * Fuzz target for the body parsers of {@link FrameCodec#decode} (reliability.md scorecard 3, PROTOCOL.md §3–§4):
 * one length-stripped frame in; either a frame or a {@link ProtocolViolationException}, nothing else. The parser is
 * strict (no trailing bytes, no padding), so a frame it accepts must encode back to exactly the bytes it came from:
 * a round trip that catches fields read but not checked. DATA must keep its payload byte for byte, and release.
 * Seeds: {@code FrameCodecFuzzTestInputs/bodies}; fuzzing command as for {@link FramePipelineFuzzTest}.
 */
class FrameCodecFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void bodies(byte[] body) {
        ByteBuf in = Unpooled.wrappedBuffer(body);
        Frame frame;
        try {
            frame = FrameCodec.decode(in, FramePipelineFuzzTest.MAX_CONNECT_DATA,
                    FramePipelineFuzzTest.MAX_MESSAGE_SIZE);
        } catch (ProtocolViolationException expected) {
            in.release();
            return;
        }
        if (frame instanceof Frame.Data data) {
            assertArrayEquals(Arrays.copyOfRange(body, 1, body.length), ByteBufUtil.getBytes(data.content()));
            data.release();
            in.release(); // decode never releases its input; the slice held its own reference
            assertEquals(0, in.refCnt(), "DATA's slice gave back its reference to the frame buffer");
            return;
        }
        in.release();
        ByteBuf encoded = FrameCodec.encode(UnpooledByteBufAllocator.DEFAULT, frame);
        try {
            byte[] again = ByteBufUtil.getBytes(encoded, FrameCodec.LENGTH_FIELD,
                    encoded.readableBytes() - FrameCodec.LENGTH_FIELD);
            assertArrayEquals(body, again, "re-encoding " + frame.type() + " gives the bytes it was parsed from");
        } finally {
            encoded.release();
        }
    }
}
