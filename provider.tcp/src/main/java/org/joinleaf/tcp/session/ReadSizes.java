package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The read sizes of one session connection for its whole life. Netty asks a channel's allocator for a handle once,
 * at the first read, and keeps it, so a second allocator set at admission was never used (members kept the 4 KiB reads of a connection not admitted yet). Here the handle takes its bounds anew at
 * the start of each read turn: a JOIN's reads until {@link #admit}, then a member's (at most the high water mark,
 * which the documented bounds count as the read in hand).
 */
final class ReadSizes implements MaxMessagesRecvByteBufAllocator {
    private static final AdaptiveRecvByteBufAllocator OPENING =
            new AdaptiveRecvByteBufAllocator(64, 1024, TcpTransport.PRE_ADMISSION_READ);

    private volatile AdaptiveRecvByteBufAllocator bounds = OPENING;

    private ReadSizes() {
    }

    /** Gives {@code channel} the reads of a connection not admitted yet. */
    static void install(Channel channel) {
        channel.config().setRecvByteBufAllocator(new ReadSizes());
    }

    /** The connection became a membership: its next read turn reads up to {@code high} bytes a read. Any thread. */
    static void admit(Channel channel, int high) {
        if (channel.config().getRecvByteBufAllocator() instanceof ReadSizes sizes) {
            sizes.bounds = new AdaptiveRecvByteBufAllocator(Math.min(64, high), Math.min(2048, high), high);
        }
    }

    @Override
    public Handle newHandle() {
        return new Sizes();
    }

    @Override
    public int maxMessagesPerRead() {
        return bounds.maxMessagesPerRead();
    }

    @Override
    public MaxMessagesRecvByteBufAllocator maxMessagesPerRead(int maxMessagesPerRead) {
        throw new UnsupportedOperationException("a session connection's reads per turn are Netty's default");
    }

    /** Delegates to a handle of the bounds in force at the start of the read turn. */
    private final class Sizes implements RecvByteBufAllocator.ExtendedHandle {
        private AdaptiveRecvByteBufAllocator of = bounds;
        private ExtendedHandle current = (ExtendedHandle) of.newHandle();

        @Override
        public void reset(ChannelConfig config) {
            AdaptiveRecvByteBufAllocator now = bounds;
            if (now != of) {
                of = now;
                current = (ExtendedHandle) now.newHandle();
            }
            current.reset(config);
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return current.allocate(alloc);
        }

        @Override
        public int guess() {
            return current.guess();
        }

        @Override
        public void incMessagesRead(int numMessages) {
            current.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            current.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return current.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            current.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return current.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return current.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return current.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            current.readComplete();
        }
    }
}
