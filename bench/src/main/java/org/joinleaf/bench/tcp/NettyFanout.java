package org.joinleaf.bench.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The ceiling: the same fan-out with plain Netty NIO and no joinleaf. A server sends each message as a
 * length-prefixed frame (4-byte length, then the message) to its N accepted channels: one task per event loop and
 * message writes the frame to every channel of that loop, flushing when that loop has no further frame queued (see
 * {@link LoopShare}). The sender waits while any channel is unwritable (the provider's
 * BLOCK_SENDER). N Netty clients decode the frames and check count and order on their event loop.
 * Server and clients share one group of {@value #EVENT_LOOPS} event loops, as joinleaf's root and leaves share the
 * provider's; water marks are the provider's defaults.
 */
final class NettyFanout extends LeafChecks {
    static final int EVENT_LOOPS = 2;
    /** Frames handed to a loop and not yet written; beyond it the sender waits (water marks see only written ones). */
    private static final int MAX_QUEUED_PER_LOOP = 64;
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(EVENT_LOOPS,
            new DefaultThreadFactory("bench-netty", true), NioIoHandler.newFactory());
    private final List<Channel> toLeaves = new CopyOnWriteArrayList<>();
    private final List<Channel> opened = new CopyOnWriteArrayList<>();
    /** Server-side channels above the high water mark; the sender waits while this is not zero. */
    private final AtomicInteger unwritable = new AtomicInteger();
    private final Object room = new Object();
    /** The accepted channels grouped by the event loop that owns them, built once all are accepted. */
    private final List<LoopShare> byLoop = new ArrayList<>();

    private NettyFanout() {
    }

    static NettyFanout open(int leaves, int messageBytes) throws IOException, InterruptedException {
        NettyFanout f = new NettyFanout();
        try {
            f.start(leaves, messageBytes);
            return f;
        } catch (IOException | InterruptedException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private void start(int n, int messageBytes) throws IOException, InterruptedException {
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Writability());
                        toLeaves.add(ch);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        opened.add(server);
        for (int i = 0; i < n; i++) {
            SequenceCheck check = new SequenceCheck("netty client " + i, messageBytes, delivered);
            checks.add(check);
            Channel c = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 16, 0, 4, 0, 4),
                                    new Verifier(check));
                        }
                    })
                    .connect(server.localAddress()).sync().channel();
            opened.add(c);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (toLeaves.size() < n) { // accepted channels register on the event loop shortly after connect
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("only " + toLeaves.size() + " of " + n + " clients accepted within 30 s");
            }
            Thread.sleep(1);
        }
        Map<EventLoop, LoopShare> groups = new LinkedHashMap<>();
        for (Channel ch : toLeaves) {
            groups.computeIfAbsent(ch.eventLoop(), LoopShare::new).channels.add(ch);
        }
        byLoop.addAll(groups.values());
    }

    @Override
    public void send(byte[] message) throws IOException {
        awaitRoom();
        for (LoopShare share : byLoop) { // bounds the frames queued on a loop but not yet in a channel's buffer
            while (share.queued.get() >= MAX_QUEUED_PER_LOOP) {
                rethrowReaderFailure();
                LockSupport.parkNanos(20_000);
            }
        }
        ByteBuf frame = toLeaves.get(0).alloc().buffer(4 + message.length);
        frame.writeInt(message.length).writeBytes(message);
        try {
            for (LoopShare share : byLoop) {
                share.queued.incrementAndGet();
                ByteBuf mine = frame.retainedDuplicate();
                share.loop.execute(() -> share.write(mine));
            }
        } finally {
            frame.release();
        }
    }

    /**
     * The channels one event loop owns. Frames are written on that loop and flushed when no further frame is queued
     * for it: one syscall per channel per burst instead of per message when the sender is ahead (what a tuned Netty
     * fan-out does), one per message when it is not.
     */
    private static final class LoopShare {
        final EventLoop loop;
        final List<Channel> channels = new ArrayList<>();
        final AtomicInteger queued = new AtomicInteger();

        LoopShare(EventLoop loop) {
            this.loop = loop;
        }

        void write(ByteBuf frame) {
            try {
                for (Channel ch : channels) {
                    ch.write(frame.retainedDuplicate(), ch.voidPromise());
                }
            } finally {
                frame.release();
            }
            if (queued.decrementAndGet() == 0) {
                channels.forEach(Channel::flush);
            }
        }
    }

    private void awaitRoom() throws IOException {
        if (unwritable.get() == 0) {
            return;
        }
        synchronized (room) {
            while (unwritable.get() > 0) {
                rethrowReaderFailure();
                try {
                    room.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for send room", e);
                }
            }
        }
    }

    @Override
    public String note() {
        return "netty_nio;event_loops=" + EVENT_LOOPS + "(server+clients);one_task_per_loop_per_message+flush_when_loop_queue_empty"
                + ";sender_waits_while_any_channel_unwritable_or_64_frames_queued_on_a_loop;water_marks=32K/64K;frame=4B_length+message";
    }

    @Override
    public void close() {
        for (Channel c : opened) {
            c.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** Counts the server-side channels that are over the high water mark and wakes the sender when none is. */
    private final class Writability extends ChannelInboundHandlerAdapter {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                if (unwritable.decrementAndGet() == 0) {
                    synchronized (room) {
                        room.notifyAll();
                    }
                }
            } else {
                unwritable.incrementAndGet();
            }
            ctx.fireChannelWritabilityChanged();
        }
    }

    /** A client's check of each frame (released by SimpleChannelInboundHandler). */
    private final class Verifier extends SimpleChannelInboundHandler<ByteBuf> {
        private final SequenceCheck check;

        Verifier(SequenceCheck check) {
            this.check = check;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) throws IOException {
            int length = frame.readableBytes();
            check.accept(length >= 8 ? frame.getLong(frame.readerIndex()) : -1, length);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure.compareAndSet(null, cause instanceof IOException ? (IOException) cause : new IOException(cause));
            ctx.close();
        }
    }
}
