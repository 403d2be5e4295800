package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.Winsock2;
import org.joinleaf.tcp.protocol.Frame;
import org.joinleaf.tcp.protocol.FrameSplitter;
import org.joinleaf.tcp.protocol.ProtocolViolationException;
import org.joinleaf.tcp.session.LimitCounters.PeerEvent;
import org.joinleaf.tcp.tls.TlsContexts;

/**
 * What every session connection does whatever its side: answers heartbeats, turns idle timeouts, resets and
 * protocol violations into the Winsock code its socket reports, and hands the remaining frames to the side's
 * handler. One instance per connection (not sharable).
 *
 * <p>Pitfalls: every frame read is released here after {@link #onFrame}, so subclasses copy what they keep. The
 * code a socket reports when the connection ends is the first one recorded with {@link #closeWith}; a connection
 * that ends without a LEAVE frame or recorded cause reports {@code WSAECONNRESET}.
 *
 * <p>Heartbeats cost a peer nothing to provoke: at most one PONG and one PING of ours are on their way at a time
 * (a PING arriving while our PONG is still unwritten is not answered again), so a peer that floods PINGs and reads
 * nothing makes us hold 5 bytes, not a PONG per PING (issue 11). Every line a peer can make this class log goes
 * through {@link LimitCounters} (one line per kind and second).
 */
abstract class PeerChannelHandler extends ChannelInboundHandlerAdapter {
    /** Why the connection was closed: the code its socket reports with {@code FD_CLOSE}. */
    static final AttributeKey<Integer> CLOSE_CODE = AttributeKey.valueOf("org.joinleaf.tcp.closeCode");

    /** Event-loop confined after registration: a passive connection's wait for its opening frame, or null. */
    private Handshake handshake;
    /** Only until {@link TcpTransport#initChannel} sets the transport's own, before registration. */
    private static final LimitCounters UNCOUNTED = new LimitCounters();

    private LimitCounters counters = UNCOUNTED;
    /** Event-loop confined: our PONG, or our heartbeat PING, is written but not yet taken by the kernel. */
    private boolean pongOnItsWay;
    private boolean pingOnItsWay;

    /** How long a REJECT may take to reach a peer that does not read before its connection is closed anyway. */
    static final long ANSWER_GRACE_MILLIS = 1000;

    /**
     * Answers REJECT({@code code}) and closes once it is written, or after {@link #ANSWER_GRACE_MILLIS} at the latest:
     * a peer that reads nothing cannot keep a refused connection open (issue 11).
     */
    static void rejectAndClose(Channel channel, int code) {
        channel.attr(CLOSE_CODE).setIfAbsent(code);
        writeAndClose(channel, new Frame.Reject(code), ANSWER_GRACE_MILLIS);
    }

    /**
     * Writes {@code last} and closes once it is written, or after {@code graceMillis} at the latest. The grace timer
     * is cancelled when the channel closes: left to fire, it kept every closed channel (pipeline, buffers, socket
     * state) reachable for the whole grace, about 3,000 dead channels at once, a third of the gateway's heap, under
     * the raw-JOIN flood of issue 11 (decision 51).
     */
    static void writeAndClose(Channel channel, Object last, long graceMillis) {
        channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        ScheduledFuture<?> grace = channel.eventLoop().schedule((Runnable) channel::close, graceMillis,
                TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> grace.cancel(false));
    }

    /** Records why {@code channel} ends (the first cause wins) and closes it. */
    static void closeWith(Channel channel, int code) {
        channel.attr(CLOSE_CODE).setIfAbsent(code);
        channel.close();
    }

    /**
     * Records why {@code channel} ends and resets it (SO_LINGER 0) from the front of its pipeline: for a connection
     * never admitted, whose peer is owed nothing. The close bypasses the {@code SslHandler}, which would wrap a
     * close_notify and close only once it is flushed: under a flood of pending TLS handshakes that work, per
     * connection, made the loops close a few hundred a second (issue 11 item 7, decision 41).
     */
    static void resetBeforeAdmission(Channel channel, int code) {
        if (!channel.isOpen()) {
            return;
        }
        channel.attr(CLOSE_CODE).setIfAbsent(code);
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        ChannelHandlerContext first = channel.pipeline().firstContext();
        if (first != null) {
            first.close();
        } else {
            channel.close();
        }
    }

    /**
     * The connection became a membership: raises its frame limit from a JOIN's size to DATA's (PROTOCOL.md §2), and
     * its reads from {@link TcpTransport#PRE_ADMISSION_READ} to a member's, from the pooled allocator. Any thread;
     * call before ACCEPT is written (callee) or as ACCEPT is read (caller).
     */
    static void admitFrames(Channel channel) {
        channel.config().setAllocator(ByteBufAllocator.DEFAULT);
        ReadSizes.admit(channel, channel.config().getWriteBufferHighWaterMark());
        FrameSplitter splitter = channel.pipeline().get(FrameSplitter.class);
        if (splitter != null) {
            splitter.admit();
        }
    }

    /** Where this connection counts and logs what its peer does; set before the channel is registered. */
    final void useCounters(LimitCounters c) {
        counters = c;
    }

    final LimitCounters counters() {
        return counters;
    }

    /** Handles a frame other than PING/PONG/LEAVE, on the event loop. Throw a violation for an out-of-order frame. */
    abstract void onFrame(ChannelHandlerContext ctx, Frame frame);

    /** The connection ended with {@code code} (0 graceful, {@code WSAECONNRESET}, {@code WSAECONNABORTED}...). */
    abstract void onClosed(int code);

    /** True once the connection is a membership (ACCEPT was sent or received). */
    abstract boolean admitted();

    /** The connection's write buffer crossed a water mark. */
    void onWritabilityChanged(boolean writable) {
    }

    /**
     * A passive connection: it must deliver its opening frame before {@code h}'s deadline (an idle timeout alone
     * would not stop a peer dribbling one byte at a time). Set before the channel is registered.
     */
    final void awaitOpening(Handshake h) {
        handshake = h;
    }

    /** The opening frame arrived (or the connection ended): the handshake no longer counts nor has a deadline. */
    final void handshakeDone() {
        if (handshake != null) {
            handshake.end();
            handshake = null;
        }
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            Frame frame = (Frame) msg;
            switch (frame.type()) {
                case PING:
                    if (!pongOnItsWay) {
                        pongOnItsWay = true;
                        ctx.writeAndFlush(new Frame.Pong()).addListener(f -> pongOnItsWay = false);
                    }
                    break;
                case PONG:
                    break;
                case LEAVE:
                    closeWith(ctx.channel(), leaveCode((Frame.Leave) frame));
                    break;
                default:
                    onFrame(ctx, frame);
                    break;
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public final void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (!handshake.isSuccess()) {
                tlsFailed(ctx, handshake.cause());
            }
            return;
        }
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                if (!pingOnItsWay) {
                    pingOnItsWay = true;
                    ctx.writeAndFlush(new Frame.Ping()).addListener(f -> pingOnItsWay = false);
                }
            } else if (idle.state() == IdleState.READER_IDLE) {
                counters.peerEvent(PeerEvent.HEARTBEAT_TIMEOUT, () -> "closing " + ctx.channel().remoteAddress()
                        + " with WSAECONNABORTED: heartbeat timed out");
                closeWith(ctx.channel(), Winsock2.WSAECONNABORTED);
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ctx.channel().isOpen()) {
            return; // a late write failure on a connection already closed: its code is recorded
        }
        if (TlsContexts.isTlsFailure(cause)) {
            tlsFailed(ctx, cause);
            return;
        }
        int code;
        if (cause instanceof DecoderException) {
            code = Winsock2.WSAECONNABORTED;
            counters.peerEvent(PeerEvent.PROTOCOL_VIOLATION, () -> "closing " + ctx.channel().remoteAddress()
                    + " with " + WSAError.describe(Winsock2.WSAECONNABORTED) + ": protocol violation: "
                    + (cause instanceof ProtocolViolationException || cause.getCause() == null
                    ? cause.getMessage() : cause.getCause().toString()));
        } else if (cause instanceof IOException) {
            code = Winsock2.WSAECONNRESET;
        } else {
            // anything else is our bug or the JVM's trouble (even OutOfMemoryError): this connection only is aborted
            code = Winsock2.WSAECONNABORTED;
            counters.peerEvent(PeerEvent.HANDLER_FAILURE, () -> "closing " + ctx.channel().remoteAddress()
                    + " with WSAECONNABORTED: " + cause);
        }
        closeWith(ctx.channel(), code);
    }

    /**
     * The code a LEAVE may carry (PROTOCOL.md §4.4): 0 for a graceful leave, or {@code WSAECONNABORTED} when its
     * sender aborted the membership (an eviction). Any other code is a violation: a peer cannot make our socket
     * report a code of its choosing, such as {@code WSAENETDOWN}, which means our own network failed.
     */
    private static int leaveCode(Frame.Leave leave) {
        int code = leave.code();
        if (code != 0 && code != Winsock2.WSAECONNABORTED) {
            throw new ProtocolViolationException("LEAVE carries code " + code
                    + "; only 0 and 10053 (WSAECONNABORTED) are allowed");
        }
        return code;
    }

    /**
     * A TLS failure (no, or an untrusted, certificate; a plain peer; an alert): before admission it refuses the join
     * ({@code WSAECONNREFUSED}, nothing reached the listening socket's queue), after it aborts the membership. One
     * log line, only for the first cause of the close.
     */
    private void tlsFailed(ChannelHandlerContext ctx, Throwable cause) {
        int code = admitted() ? Winsock2.WSAECONNABORTED : Winsock2.WSAECONNREFUSED;
        if (ctx.channel().attr(CLOSE_CODE).setIfAbsent(code) == null) {
            counters.peerEvent(PeerEvent.TLS_FAILURE, () -> {
                Throwable root = cause;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                return "closing " + ctx.channel().remoteAddress() + " with " + WSAError.describe(code)
                        + ": TLS failed: " + (root.getMessage() != null ? root.getMessage()
                                : root.getClass().getName() + " without a message");
            });
        }
        ctx.channel().close();
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) throws Exception {
        handshakeDone();
        Integer code = ctx.channel().attr(CLOSE_CODE).get();
        onClosed(code == null ? Winsock2.WSAECONNRESET : code);
        super.channelInactive(ctx);
    }

    @Override
    public final void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        onWritabilityChanged(ctx.channel().isWritable());
        super.channelWritabilityChanged(ctx);
    }

    static ProtocolViolationException unexpected(Frame frame, String state) {
        return new ProtocolViolationException(frame.type() + " frame is out of order " + state);
    }
}
