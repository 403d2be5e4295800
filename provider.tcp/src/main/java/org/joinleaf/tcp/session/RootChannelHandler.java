package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import org.joinleaf.tcp.protocol.Frame;
import org.joinleaf.tcp.protocol.ProtocolViolationException;

/**
 * The root's end of one leaf connection: a passive connection waits for JOIN and then for {@code WSAAccept}; an
 * invitation waits for ACCEPT or REJECT; a member delivers DATA to the {@link RootSocket}. Anything else is a
 * protocol violation that closes this connection only, and so is DATA from a member that joined
 * {@code JL_RECEIVER_ONLY}.
 */
final class RootChannelHandler extends PeerChannelHandler {
    private final RootSocket root;
    /** Non-null on a connection this root opened to invite a leaf. */
    private final LinkSocket invited;
    /** Event-loop confined: the queued JOIN of a passive connection. */
    private PendingRequest request;
    /** Set by WSAAccept (application thread) or by the invited leaf's ACCEPT. */
    private volatile LinkSocket member;

    private RootChannelHandler(RootSocket root, LinkSocket invited) {
        this.root = root;
        this.invited = invited;
    }

    static RootChannelHandler passive(RootSocket root) {
        return new RootChannelHandler(root, null);
    }

    static RootChannelHandler inviting(RootSocket root, LinkSocket link) {
        return new RootChannelHandler(root, link);
    }

    /** WSAAccept admitted the JOIN (application thread), before ACCEPT is written. */
    void becomeMember(Channel channel, LinkSocket link) {
        member = link;
        admitFrames(channel);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (invited != null) {
            invited.attach(ctx.channel()); // before the connect starts, so ACCEPT can never find it unattached
        }
    }

    @Override
    void onFrame(ChannelHandlerContext ctx, Frame frame) {
        LinkSocket m = member;
        if (m != null) {
            if (frame instanceof Frame.Data data) {
                if (!m.sends()) { // issue 11: members are held to their join
                    throw new ProtocolViolationException("DATA from a leaf that joined JL_RECEIVER_ONLY");
                }
                root.onData(m, data, ctx.channel());
                return;
            }
            throw unexpected(frame, "from a joined leaf");
        }
        if (invited == null) {
            if (frame instanceof Frame.Join join && !join.invite() && request == null) {
                handshakeDone();
                request = root.onJoinRequest(ctx.channel(), join, this);
                return;
            }
            throw unexpected(frame, request == null ? "before JOIN" : "while the JOIN waits for WSAAccept");
        }
        if (frame instanceof Frame.Accept accept) {
            member = invited;
            admitFrames(ctx.channel());
            if (!invited.onInviteAccepted(accept.calleeData())) {
                member = null;
            }
            return;
        }
        if (frame instanceof Frame.Reject reject) {
            invited.onInviteRejected(reject.code());
            return;
        }
        throw unexpected(frame, "while the INVITE waits for an answer");
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
        LinkSocket l = member != null ? member : invited;
        if (l != null) {
            l.onConnectionClosed(code);
        }
    }

    @Override
    void onWritabilityChanged(boolean writable) {
        LinkSocket m = member;
        if (m != null) {
            m.onWritabilityChanged(writable);
        }
    }
}
