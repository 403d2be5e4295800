package org.joinleaf.tcp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;

/**
 * Fuzz target for the whole inbound decoder pipeline of a session connection (reliability.md scorecard 3,
 * PROTOCOL.md §2–§4): the fail-fast length splitter, then {@link FrameDecoder}, fed arbitrary bytes in arbitrary
 * chunks. Every input must end in one of two ways: frames come out, or the pipeline fails with a framing error
 * (what {@code PeerChannelHandler} maps to {@code WSAECONNABORTED}) and the channel is closed. Never any other
 * exception, and every buffer released.
 *
 * <p>Input layout: byte 0 picks the chunk size (1..64), the rest is the byte stream as a peer would send it.
 * Regression mode (every build) runs the seeds in {@code FramePipelineFuzzTestInputs/pipeline}. To fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -B -pl provider.tcp test -Dtest=FramePipelineFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}
 * (stops after {@code maxDuration}; new corpus entries go to {@code .cifuzz-corpus}).
 */
class FramePipelineFuzzTest {
    /** Small limits so the fuzzer reaches both the splitter's and the codec's bounds. */
    static final int MAX_CONNECT_DATA = 200;
    static final int MAX_MESSAGE_SIZE = 100;

    @FuzzTest(maxDuration = "10m")
    void pipeline(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int chunk = 1 + (input[0] & 0x3F);
        TrackingAllocator alloc = new TrackingAllocator();
        FailureRecorder failures = new FailureRecorder();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(
                FrameCodec.newFrameSplitter(FrameCodec.maxFrameLength(MAX_MESSAGE_SIZE, MAX_CONNECT_DATA)),
                new FrameDecoder(MAX_CONNECT_DATA, MAX_MESSAGE_SIZE), failures);
        int frames = 0;
        for (int at = 1; at < input.length && channel.isOpen(); at += chunk) {
            channel.writeInbound(alloc.copyOf(input, at, Math.min(chunk, input.length - at)));
            for (Object out; (out = channel.readInbound()) != null; frames++) {
                assertTrue(out instanceof Frame, "the pipeline emits only frames, got " + out);
                ReferenceCountUtil.release(out);
            }
        }
        channel.finishAndReleaseAll();
        if (failures.cause != null) {
            Throwable c = failures.cause;
            if (!(c instanceof ProtocolViolationException || c instanceof TooLongFrameException
                    || c instanceof CorruptedFrameException)) {
                fail("only framing errors may come out of the decoders, got " + c, c);
            }
            assertFalse(failures.wasOpenAfter, "a framing error closes the connection");
        }
        assertEquals("", alloc.unreleased(), "every buffer released after " + frames + " frames");
    }

    /** Stands in for PeerChannelHandler: records the first failure and closes, as a session connection does. */
    private static final class FailureRecorder extends ChannelInboundHandlerAdapter {
        Throwable cause;
        boolean wasOpenAfter;

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
            if (cause == null) {
                cause = t;
            }
            ctx.close();
            wasOpenAfter = ctx.channel().isOpen();
        }
    }
}
