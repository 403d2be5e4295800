package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import java.util.ArrayDeque;
import org.joinleaf.api.Winsock2;

/**
 * The front of a session connection's pipeline (decision 49): what is read while the connection is paused (autoRead
 * off, set by {@link ReadGate}) is held here, before TLS and framing, so it is not decoded, relayed
 * or delivered until the connection is resumed. NIO reads nothing while paused; Netty 4.2.18's epoll loop reads a
 * connection whose peer shut its output (EPOLLRDHUP) to its end whatever autoRead says, and cannot pause it again
 * (its registration, left without events, is deleted, and re-arming it fails), so that end is held here, within
 * {@code budget}: the kernel's receive buffer, which the transport sizes to it ({@link IoTransport#receiveBuffer}).
 * What is held is received data on the heap, so it is charged to the provider's {@code maxReceivedBytes} as well,
 * from the read until it is passed on or dropped: many paused connections together cannot hold more than that total.
 * A connection that would hold more than either is closed with {@code WSAECONNABORTED}.
 *
 * <p>The connection is half-closable: the end of the peer's output is passed on (as a close, as Netty does without
 * half-closure) only after what was held before it. Nothing behind this handler makes a paused connection read: a
 * {@code read()} asked for while paused (the {@code SslHandler} asks when a read completed no record) is dropped, as
 * is any after the input ended; resuming turns autoRead on, which reads. Event loop only; not sharable.
 */
final class PausedInput extends ChannelDuplexHandler {
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private final int budget;
    private final MemoryBudget total;
    private int heldBytes;
    private boolean inputEnded;
    private boolean releasing;
    private ChannelHandlerContext ctx;

    /**
     * @param budget the bytes a paused connection may hold
     * @param total  the provider's {@code maxReceivedBytes}, which what is held counts against too
     */
    PausedInput(int budget, MemoryBudget total) {
        this.budget = budget;
        this.total = total;
    }

    /** {@code channel} was resumed (its event loop): passes on what was held, until it is paused again. */
    static void release(Channel channel) {
        PausedInput input = channel.pipeline().get(PausedInput.class);
        if (input != null) {
            input.release();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes) || held.isEmpty() && ctx.channel().config().isAutoRead()) {
            ctx.fireChannelRead(msg);
            return;
        }
        int n = bytes.readableBytes();
        if (heldBytes + n > budget || !total.tryCharge(n)) {
            bytes.release();
            discard();
            ctx.channel().attr(PeerChannelHandler.CLOSE_CODE).setIfAbsent(Winsock2.WSAECONNABORTED);
            ctx.close(); // from the front, as Netty closes on a read's end: no TLS work for it (decision 41)
            return;
        }
        // an unpooled copy: the pool would keep the chunks a burst of held reads grew (decision 37's reason)
        held.add(UnpooledByteBufAllocator.DEFAULT.heapBuffer(n).writeBytes(bytes));
        heldBytes += n;
        bytes.release();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            inputEnded = true;
            endIfReleased();
        } else if (evt != ChannelInputShutdownReadComplete.INSTANCE) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (ctx.channel().config().isAutoRead() && !inputEnded) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discard(); // it ended while paused: its peer reset it, or we closed it
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discard();
    }

    private void release() {
        if (held.isEmpty() || ctx == null || releasing) {
            return; // releasing: paused and resumed within a held read's decoding; the loop below goes on
        }
        releasing = true;
        try {
            while (!held.isEmpty() && ctx.channel().config().isAutoRead() && ctx.channel().isActive()) {
                ByteBuf bytes = held.poll();
                int n = bytes.readableBytes();
                heldBytes -= n;
                total.credit(n);
                ctx.fireChannelRead(bytes);
            }
        } finally {
            releasing = false;
        }
        ctx.fireChannelReadComplete();
        endIfReleased();
    }

    /** The peer's output ended and nothing is held before its end: the connection ends, as without half-closure. */
    private void endIfReleased() {
        if (inputEnded && held.isEmpty()) {
            ctx.close(); // from the front, as Netty closes without half-closure: no close_notify (decision 41)
        }
    }

    private void discard() {
        for (ByteBuf b; (b = held.poll()) != null; ) {
            b.release();
        }
        if (heldBytes > 0) {
            total.credit(heldBytes);
        }
        heldBytes = 0;
    }
}
