package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Test bridge: the session event loops and connections of a transport, so a test can hold them busy. */
public final class TransportLoops {
    private TransportLoops() {
    }

    public static EventLoopGroup of(TcpTransport transport) {
        return transport.group();
    }

    /**
     * Pins the kernel send buffer of every session connection of {@code transport} to {@code bytes} (no autotuning),
     * so a test reaches the point where Netty must hold what the kernel cannot take with a small flood. Returns
     * how many connections it pinned.
     */
    public static int pinSendBuffers(TcpTransport transport, int bytes) {
        int pinned = 0;
        for (Channel ch : transport.sessionChannels()) {
            if (ch.isActive()) {
                ch.eventLoop().submit(() -> ch.config().setOption(ChannelOption.SO_SNDBUF, bytes)).syncUninterruptibly();
                pinned++;
            }
        }
        return pinned;
    }

    /**
     * Counts, by event loop, the writes that reach the socket end of every session connection open now (a counter at
     * the front of each pipeline: one per buffer handed to the kernel's side, control frames included).
     */
    public static Map<EventLoop, AtomicLong> countWrites(TcpTransport transport) {
        Map<EventLoop, AtomicLong> counts = new ConcurrentHashMap<>();
        for (Channel ch : transport.sessionChannels()) {
            if (ch.isActive()) {
                AtomicLong n = counts.computeIfAbsent(ch.eventLoop(), l -> new AtomicLong());
                ch.eventLoop().submit(() -> ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
                    @Override
                    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                        n.incrementAndGet();
                        ctx.write(msg, promise);
                    }
                })).syncUninterruptibly();
            }
        }
        return counts;
    }

    /** The active session connections of {@code transport} on {@code loop}. */
    public static int connectionsOn(TcpTransport transport, EventLoop loop) {
        int n = 0;
        for (Channel ch : transport.sessionChannels()) {
            n += ch.isActive() && ch.eventLoop() == loop ? 1 : 0;
        }
        return n;
    }
}
