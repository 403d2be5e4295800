package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.System.Logger.Level;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.Winsock2;
import org.joinleaf.tcp.protocol.Frame;
import org.joinleaf.tcp.protocol.ProtocolViolationException;
import org.joinleaf.tcp.tls.TlsContexts;

/**
 * What every session connection does whatever its side: answers heartbeats, turns idle timeouts, resets and
 * protocol violations into the Winsock code its socket reports, and hands the remaining frames to the side's
 * handler. One instance per connection (not sharable).
 *
 * <p>Pitfalls: every frame read is released here after {@link #onFrame}, so subclasses copy what they keep. The
 * code a socket reports when the connection ends is the first one recorded with {@link #closeWith}; a connection
 * that ends without a LEAVE frame or recorded cause reports {@code WSAECONNRESET}.
 */
abstract class PeerChannelHandler extends ChannelInboundHandlerAdapter {
    static final System.Logger LOG = System.getLogger("org.joinleaf.tcp");

    /** Why the connection was closed: the code its socket reports with {@code FD_CLOSE}. */
    static final AttributeKey<Integer> CLOSE_CODE = AttributeKey.valueOf("org.joinleaf.tcp.closeCode");

    /** Event-loop confined after registration: a passive connection's wait for its opening frame, or null. */
    private Handshake handshake;

    /** Records why {@code channel} ends (the first cause wins) and closes it. */
    static void closeWith(Channel channel, int code) {
        channel.attr(CLOSE_CODE).setIfAbsent(code);
        channel.close();
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
                    ctx.writeAndFlush(new Frame.Pong(), ctx.voidPromise());
                    break;
                case PONG:
                    break;
                case LEAVE:
                    closeWith(ctx.channel(), ((Frame.Leave) frame).code());
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
                ctx.writeAndFlush(new Frame.Ping(), ctx.voidPromise());
            } else if (idle.state() == IdleState.READER_IDLE) {
                LOG.log(Level.WARNING, "closing {0} with WSAECONNABORTED: heartbeat timed out",
                        ctx.channel().remoteAddress());
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
            String reason = cause instanceof ProtocolViolationException || cause.getCause() == null
                    ? cause.getMessage() : cause.getCause().toString();
            LOG.log(Level.WARNING, "closing {0} with {1}: protocol violation: {2}", ctx.channel().remoteAddress(),
                    WSAError.describe(code), reason);
        } else if (cause instanceof IOException) {
            code = Winsock2.WSAECONNRESET;
        } else {
            code = Winsock2.WSAECONNABORTED;
            LOG.log(Level.WARNING, "closing " + ctx.channel().remoteAddress() + " with WSAECONNABORTED", cause);
        }
        closeWith(ctx.channel(), code);
    }

    /**
     * A TLS failure (no, or an untrusted, certificate; a plain peer; an alert): before admission it refuses the join
     * ({@code WSAECONNREFUSED}, nothing reached the listening socket's queue), after it aborts the membership. One
     * log line, only for the first cause of the close.
     */
    private void tlsFailed(ChannelHandlerContext ctx, Throwable cause) {
        int code = admitted() ? Winsock2.WSAECONNABORTED : Winsock2.WSAECONNREFUSED;
        if (ctx.channel().attr(CLOSE_CODE).setIfAbsent(code) == null) {
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            LOG.log(Level.WARNING, "closing {0} with {1}: TLS failed: {2}", ctx.channel().remoteAddress(),
                    WSAError.describe(code), String.valueOf(root.getMessage()));
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
