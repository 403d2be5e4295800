package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import org.joinleaf.api.Winsock2;
import org.joinleaf.tcp.protocol.Frame;
import org.joinleaf.tcp.protocol.FrameSplitter;
import org.joinleaf.tcp.protocol.ProtocolViolationException;

/**
 * The leaf's end of its connection to the root: a join waits for ACCEPT or REJECT; a passive connection on a
 * listening c_leaf waits for INVITE and then for {@code WSAAccept}; a member delivers DATA to its
 * {@link LeafSocket}. Anything else is a protocol violation that closes this connection only, and so is DATA to a
 * member that joined {@code JL_SENDER_ONLY}. A member's DATA comes straight from the splitter ({@link #data}).
 */
final class LeafChannelHandler extends PeerChannelHandler implements FrameSplitter.DataSink {
    /** Non-null on a connection this leaf opened to join (with its attempt). */
    private final LeafSocket joining;
    private final JoinAttempt attempt;
    /** Non-null on a connection accepted by a listening c_leaf. */
    private final LeafSocket listening;
    /** Event-loop confined: the queued INVITE. */
    private PendingRequest request;
    /** Set by ACCEPT (join) or by WSAAccept (application thread, invitation). */
    private volatile LeafSocket member;
    /** This handler's connection, from {@link #handlerAdded} (before any read). */
    private Channel channel;

    private LeafChannelHandler(LeafSocket joining, JoinAttempt attempt, LeafSocket listening) {
        this.joining = joining;
        this.attempt = attempt;
        this.listening = listening;
    }

    static LeafChannelHandler joining(LeafSocket socket, JoinAttempt attempt) {
        return new LeafChannelHandler(socket, attempt, null);
    }

    static LeafChannelHandler awaitingInvite(LeafSocket listener) {
        return new LeafChannelHandler(null, null, listener);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** WSAAccept admitted the INVITE (application thread), before ACCEPT is written. */
    void becomeMember(Channel channel, LeafSocket socket) {
        member = socket;
        admitFrames(channel);
    }

    /** A member's DATA frames, read in place by the splitter (event loop); before admission they take the slow path. */
    @Override
    public boolean data(ByteBuf frames, int index, int length, int count) {
        LeafSocket m = member;
        if (m == null) {
            return false;
        }
        if (!m.receives()) { // issue 11: members are held to their join
            throw senderOnly();
        }
        m.onDataFrames(frames, index, length, count, channel);
        return true;
    }

    private static ProtocolViolationException senderOnly() {
        return new ProtocolViolationException("DATA to a leaf that joined JL_SENDER_ONLY");
    }

    @Override
    void onFrame(ChannelHandlerContext ctx, Frame frame) {
        LeafSocket m = member;
        if (m != null) {
            if (frame instanceof Frame.Data data) {
                if (!m.receives()) { // issue 11: members are held to their join
                    throw senderOnly();
                }
                ByteBuf payload = data.content();
                m.onData(payload, payload.readerIndex(), payload.readableBytes(), ctx.channel());
                return;
            }
            throw unexpected(frame, "from the root of a joined leaf");
        }
        if (joining != null) {
            if (frame instanceof Frame.Accept accept) {
                member = joining;
                admitFrames(ctx.channel());
                if (!joining.onJoinAccepted(attempt, accept.calleeData(), ctx.channel())) {
                    member = null;
                }
                return;
            }
            if (frame instanceof Frame.Reject reject) {
                if (reject.code() == Winsock2.WSAETIMEDOUT) { // the root's application never answered (PROTOCOL.md §4.3)
                    attempt.fail(Winsock2.WSAETIMEDOUT, "the root's application did not accept the join within "
                            + "the root's joinTimeoutMillis; retry later");
                } else {
                    attempt.fail(Winsock2.WSAECONNREFUSED, "the root refused the join ("
                            + TcpSocket.describe(reject.code()) + ")");
                }
                return;
            }
            throw unexpected(frame, "while the JOIN waits for an answer");
        }
        if (frame instanceof Frame.Join invite && invite.invite() && request == null) {
            handshakeDone();
            request = listening.onInvite(ctx.channel(), invite, this);
            return;
        }
        throw unexpected(frame, request == null ? "before INVITE" : "while the INVITE waits for WSAAccept");
    }

    @Override
    boolean admitted() {
        return member != null;
    }

    @Override
    void onClosed(int code) {
        if (request != null) {
            request.withdraw();
        }
        LeafSocket m = member;
        if (m != null) {
            m.onConnectionClosed(code);
        } else if (attempt != null) {
            attempt.closedBeforeAnswer(code, "the root closed the connection before admitting this leaf ("
                    + TcpSocket.describe(code) + ")");
        }
    }

    @Override
    void onWritabilityChanged(boolean writable) {
        LeafSocket m = member;
        if (m != null) {
            m.onWritabilityChanged(writable);
        }
    }
}
