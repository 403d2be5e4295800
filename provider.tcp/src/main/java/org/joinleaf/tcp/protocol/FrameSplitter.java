package org.joinleaf.tcp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits the byte stream into frames at their 4-byte length prefix (stripped), fail-fast: a frame announcing more
 * than the current limit is refused as soon as its length field is read, before its body is buffered. The limit
 * starts at the opening limit (a JOIN's size: nothing before admission costs more, PROTOCOL.md §2) and is raised to
 * the DATA limit by {@link #admit()}, which any thread may call. Not sharable.
 *
 * <p>Before admission a partial frame is also kept in a buffer of its own size: the socket read that brought it may
 * be a 64 KiB buffer (Netty's read-size guess grows while a peer floods PINGs), which would otherwise stay pinned
 * for a few bytes of a frame that never completes.
 *
 * <p>Once admitted, DATA frames go straight to the connection's {@link DataSink} if it has one: read in place
 * from the cumulated bytes, with no slice, no {@link Frame.Data} and no trip through the rest of the pipeline (the
 * per-message cost of a fan-out's receiving end, issue 14), every whole DATA frame in a row of the bytes in hand in
 * one call (one copy and one lock of the receive queue per read, decision 55). Other frames, and DATA the sink
 * declines, are passed on as before; both leave in arrival order, as frames passed on are fired before the next
 * frame is decoded.
 *
 * <p>A connection whose reading is paused (autoRead off) is never read by this decoder: see
 * {@link #channelReadComplete}.
 *
 * <p>Pitfall: after a failure every later byte is dropped unread; the connection is being closed anyway.
 */
public final class FrameSplitter extends ByteToMessageDecoder {
    /** A held partial frame in a buffer larger than this (and than twice its bytes) is compacted before admission. */
    static final int COMPACT_ABOVE = 4096;

    /** Takes a member's DATA frames in place. Implementations run on the channel's event loop. */
    public interface DataSink {
        /**
         * {@code count} (at least 1) whole DATA frames in a row, each as on the wire (length prefix, type, body of at
         * most {@code maxMessageSize}): {@code length} bytes of {@code frames} from {@code index}, valid only during
         * the call (copy what is kept; do not retain or release {@code frames}). False when the connection is not
         * ready for DATA: the first frame is then passed on as a {@link Frame.Data} (whose handler decides what a
         * DATA frame there means). Throws {@link ProtocolViolationException} for DATA the connection must refuse.
         */
        boolean data(ByteBuf frames, int index, int length, int count);
    }

    private final int admittedLimit;
    private DataSink sink;
    private int maxDataBody;
    /** Whole-frame limit (prefix included) now; written by {@link #admit()} from any thread. */
    private volatile int limit;
    private boolean failed;

    /**
     * @param openingLimit  the largest frame before admission (prefix included)
     * @param admittedLimit the largest frame once admitted (prefix included), at least {@code openingLimit}
     */
    public FrameSplitter(int openingLimit, int admittedLimit) {
        if (openingLimit < FrameCodec.HEADER || admittedLimit < openingLimit) {
            throw new IllegalArgumentException("limits " + openingLimit + " / " + admittedLimit);
        }
        this.limit = openingLimit;
        this.admittedLimit = admittedLimit;
    }

    /** The connection became a membership (ACCEPT sent or received): DATA frames may now come. */
    public void admit() {
        limit = admittedLimit;
    }

    /**
     * DATA frames go to {@code target} (bodies over {@code maxMessageSize} are violations, as in
     * {@link FrameCodec#decode}). Call before the channel reads.
     */
    public void deliverDataTo(DataSink target, int maxMessageSize) {
        this.sink = target;
        this.maxDataBody = maxMessageSize;
    }

    /** The largest whole frame accepted now (tests, diagnostics). */
    public int limit() {
        return limit;
    }

    /** Capacity of the buffer holding a partial frame now (tests, diagnostics). */
    public int heldCapacity() {
        return internalBuffer().capacity();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        if (limit == admittedLimit || failed || ctx.isRemoved()) {
            return;
        }
        ByteBuf held = internalBuffer();
        if (held.isReadable() && held.capacity() > COMPACT_ABOVE && held.capacity() > 2 * held.readableBytes()) {
            ByteBuf compact = ctx.alloc().buffer(held.readableBytes());
            compact.writeBytes(held); // drains the big buffer: the next cumulation releases it and keeps compact
            super.channelRead(ctx, compact);
        }
    }

    /**
     * Not ByteToMessageDecoder's, which asks for another read when a read fired nothing on while autoRead is off:
     * here that is every read whose DATA all went to the sink, and autoRead is off only when {@code ReadGate} paused
     * the connection (a full receive queue, a relay target at its mark), so each such read brought the next one and
     * a paused flooder was read on (issue 14 item 6: relay targets past twice the mark). Resuming turns autoRead on,
     * which reads again.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        discardSomeReadBytes();
        ctx.fireChannelReadComplete();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (sink != null && limit == admittedLimit && sinkDataRun(in)) {
            return; // whatever ended the run is decoded by the next call, below
        }
        if (in.readableBytes() < FrameCodec.LENGTH_FIELD) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        int max = limit;
        if (length > Integer.MAX_VALUE) {
            failed = true;
            throw new CorruptedFrameException("negative length field: " + (int) length);
        }
        if (length + FrameCodec.LENGTH_FIELD > max) {
            failed = true;
            throw new TooLongFrameException("frame of " + (length + FrameCodec.LENGTH_FIELD)
                    + " bytes exceeds the limit of " + max + (max < admittedLimit ? " before admission" : ""));
        }
        if (in.readableBytes() < FrameCodec.LENGTH_FIELD + length) {
            return;
        }
        if (sink != null && length > 0 && limit == admittedLimit
                && in.getUnsignedByte(in.readerIndex() + FrameCodec.LENGTH_FIELD) == FrameType.DATA.code()) {
            try {
                FrameCodec.checkDataLength((int) length - 1, maxDataBody); // what ended a run here; else declined
            } catch (RuntimeException e) {
                failed = true;
                throw e;
            }
        }
        in.skipBytes(FrameCodec.LENGTH_FIELD);
        out.add(in.readRetainedSlice((int) length));
    }

    /**
     * Hands the sink, in one call, every whole DATA frame in a row from the reader index, up to the first other,
     * partial or refused frame (left for {@link #decode}'s frame-at-a-time checks, so a violation still fails after
     * the frames before it went out). True when the sink took at least one frame.
     */
    private boolean sinkDataRun(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int at = start;
        int count = 0;
        while (end - at >= FrameCodec.HEADER) {
            long length = in.getUnsignedInt(at);
            if (length == 0 || length - 1 > maxDataBody || length + FrameCodec.LENGTH_FIELD > limit
                    || end - at - FrameCodec.LENGTH_FIELD < length
                    || in.getUnsignedByte(at + FrameCodec.LENGTH_FIELD) != FrameType.DATA.code()) {
                break;
            }
            at += FrameCodec.LENGTH_FIELD + (int) length;
            count++;
        }
        if (count == 0) {
            return false;
        }
        try {
            if (!sink.data(in, start, at - start, count)) {
                return false;
            }
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
        in.readerIndex(at);
        return true;
    }
}
