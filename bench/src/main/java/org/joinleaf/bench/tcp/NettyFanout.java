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
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling: the same fan-out with plain Netty NIO and no joinleaf. A server sends each message as a
 * length-prefixed frame (4-byte length, then the message), encoded once, to its N accepted channels: each event loop
 * drains the frames queued for it, copies them into one batch buffer and writes a retained duplicate of the batch to
 * every channel it owns, flushing once per batch (see {@link LoopShare}; what ../shared/bench-peers' netty peer
 * does). The sender waits while any channel is unwritable (the provider's BLOCK_SENDER) or while a loop holds more
 * than the high water mark's bytes not yet written (a byte budget, like the provider's per-leaf backlog counted from
 * the send), until that loop is down to the low mark. N Netty clients decode the frames and check count and order on
 * their event loop.
 * Server and clients share one group of {@value #EVENT_LOOPS} event loops, as joinleaf's root and leaves share the
 * provider's; water marks are the provider's defaults.
 */
final class NettyFanout extends LeafChecks {
    static final int EVENT_LOOPS = 2;
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
    /** A batch's size, as joinleaf's LoopFanout. */
    private static final int BATCH_BYTES = 16 * 1024;

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
        ByteBuf frame = toLeaves.get(0).alloc().directBuffer(4 + message.length);
        frame.writeInt(message.length).writeBytes(message);
        try {
            for (LoopShare share : byLoop) {
                share.submit(frame.retain());
            }
        } finally {
            frame.release();
        }
    }

    /**
     * The channels one event loop owns and the frames queued for them. A drain takes what is queued, copies it into
     * batches of up to {@link #BATCH_BYTES}, writes each batch to every channel, and flushes: one write and one flush
     * per channel per batch when the sender is ahead, one per message when it is not.
     */
    private final class LoopShare {
        final EventLoop loop;
        final List<Channel> channels = new ArrayList<>();
        final Queue<ByteBuf> queue = PlatformDependent.newMpscQueue();
        final AtomicBoolean scheduled = new AtomicBoolean();
        /** Bytes handed to this loop and not yet written to its channels: the sender's byte budget per loop. */
        final AtomicLong queuedBytes = new AtomicLong();
        final Runnable drain = this::drain;

        LoopShare(EventLoop loop) {
            this.loop = loop;
        }

        void submit(ByteBuf frame) {
            queuedBytes.addAndGet(frame.readableBytes());
            queue.add(frame);
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                loop.execute(drain);
            }
        }

        private void drain() {
            scheduled.set(false);
            ByteBuf batch = null;
            ByteBuf f;
            long taken = 0;
            while ((f = queue.poll()) != null) {
                if (batch != null && batch.writableBytes() < f.readableBytes()) {
                    writeAll(batch);
                    batch = null;
                }
                if (batch == null) {
                    batch = f.alloc().directBuffer(Math.max(BATCH_BYTES, f.readableBytes()));
                }
                taken += f.readableBytes();
                batch.writeBytes(f, f.readerIndex(), f.readableBytes());
                f.release();
            }
            if (batch != null) {
                writeAll(batch);
            }
            long left = queuedBytes.addAndGet(-taken);
            if (left <= WATER_MARK.low() && left + taken > WATER_MARK.low()) {
                wakeSender();
            }
        }

        private void writeAll(ByteBuf batch) {
            try {
                for (Channel ch : channels) {
                    ch.writeAndFlush(batch.retainedDuplicate(), ch.voidPromise());
                }
            } finally {
                batch.release();
            }
        }
    }

    private void wakeSender() {
        synchronized (room) {
            room.notifyAll();
        }
    }

    private boolean hasRoom() {
        if (unwritable.get() > 0) {
            return false;
        }
        for (LoopShare share : byLoop) {
            if (share.queuedBytes.get() >= WATER_MARK.high()) {
                return false;
            }
        }
        return true;
    }

    private void awaitRoom() throws IOException {
        if (hasRoom()) {
            return;
        }
        synchronized (room) {
            while (!hasRoom()) {
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
        return "netty_nio;event_loops=" + EVENT_LOOPS + "(server+clients);encoded_once+batched_per_loop(16K)+flush_per_batch"
                + ";sender_waits_while_any_channel_unwritable_or_a_loop_holds_64K_unwritten(resumes_at_32K)"
                + ";water_marks=32K/64K;frame=4B_length+message";
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
                    wakeSender();
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
