package org.joinleaf.tcp.protocol;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it hands out, so a fuzz run can prove that each one was released
 * (refCnt 0) once the channel is done: an exact leak check per input, where the paranoid leak detector only
 * reports after a GC. One instance per input; not thread-safe (EmbeddedChannel runs on the caller's thread).
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> handedOut = new ArrayList<>();

    TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        handedOut.add(b);
        return b;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity); // direct or not does not matter to the parser
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** A buffer holding {@code bytes}, tracked like every other. */
    ByteBuf copyOf(byte[] bytes, int from, int length) {
        return heapBuffer(length).writeBytes(bytes, from, length);
    }

    /** Buffers not released yet, with their reference counts, or an empty string when there are none. */
    String unreleased() {
        StringBuilder b = new StringBuilder();
        for (ByteBuf buf : handedOut) {
            if (buf.refCnt() != 0) {
                b.append(' ').append(buf).append(" refCnt=").append(buf.refCnt());
            }
        }
        return b.toString();
    }
}
