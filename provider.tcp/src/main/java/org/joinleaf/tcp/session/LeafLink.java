package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;
import org.joinleaf.tcp.protocol.Frame;

/**
 * The root's c_leaf socket for one leaf (§1.5): returned by {@code WSAAccept} on a listening c_root or by a c_root
 * join. It reports the leaf's link ({@code FD_CLOSE}) and closing it removes that one leaf. It carries no data
 * (§3 R28, no side chats): data goes through the c_root socket.
 *
 * <p>Pitfall: after it ended (closed, evicted, or the leaf left) it never posts again.
 */
final class LeafLink implements ProviderSocket {
    private final RootSocket root;
    private final SocketUpcalls upcalls;
    private final int direction;
    private final SOCKADDR leafAddress;
    /** Admission only (a link carries no data); released whenever the link ends. */
    private final SocketQos qos;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Channel channel;
    private volatile JoinAttempt invite;
    /** True once an invited leaf accepted; a failed invitation never reports FD_CLOSE (its join failed instead). */
    private volatile boolean inviteAccepted;
    /** Event-loop confined: evicts the leaf if it stays unwritable too long. */
    private ScheduledFuture<?> slowLeafTimer;

    LeafLink(RootSocket root, SocketUpcalls upcalls, int direction, SOCKADDR leafAddress, SocketQos qos) {
        this.root = root;
        this.upcalls = upcalls;
        this.direction = direction;
        this.leafAddress = leafAddress;
        this.qos = qos;
    }

    void attach(Channel channel) {
        this.channel = channel;
    }

    void inviting(JoinAttempt attempt) {
        this.invite = attempt;
    }

    /** The leaf joined {@code JL_RECEIVER_ONLY} or {@code JL_BOTH}. */
    boolean receives() {
        return direction != Winsock2.JL_SENDER_ONLY;
    }

    /** The leaf joined {@code JL_SENDER_ONLY} or {@code JL_BOTH}: it may send DATA. */
    boolean sends() {
        return direction != Winsock2.JL_RECEIVER_ONLY;
    }

    boolean writable() {
        return channel.isWritable();
    }

    long pendingBytes() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** The leaf's connection; set before the link becomes a member. */
    Channel channel() {
        return channel;
    }

    @Override
    public void bind(SOCKADDR name) throws WsaException {
        throw new WsaException(Winsock2.WSAEINVAL, "the root's c_leaf socket for a leaf is already bound");
    }

    @Override
    public SOCKADDR localAddress() {
        Channel c = channel;
        return c == null || c.localAddress() == null ? null : TcpSocket.sockaddr(c.localAddress());
    }

    @Override
    public SOCKADDR peerAddress() {
        return new SOCKADDR().set(leafAddress);
    }

    @Override
    public int send(ByteBuffer message, SOCKADDR to) throws WsaException {
        throw new WsaException(Winsock2.WSAEOPNOTSUPP,
                "the root's c_leaf socket carries no data (no side chats); send on the c_root socket");
    }

    @Override
    public int receive(ByteBuffer buffer, SOCKADDR from, boolean peek) throws WsaException {
        throw new WsaException(Winsock2.WSAEOPNOTSUPP,
                "the root's c_leaf socket carries no data; receive on the c_root socket, whose from names the leaf");
    }

    @Override
    public int available() {
        return 0;
    }

    /** Only the QoS ioctls: the link has no data path to loop back or scope. */
    @Override
    public void ioctl(int code, Object in, Object out) throws WsaException {
        if (!qos.ioctl(code, in, out)) {
            ProviderSocket.super.ioctl(code, in, out);
        }
    }

    /** closesocket on the root's c_leaf: that leaf only gets FD_CLOSE(0) (§3 R27); a pending invitation is cancelled. */
    @Override
    public void close() {
        qos.release();
        if (ended.compareAndSet(false, true)) {
            root.forget(this);
            JoinAttempt i = invite;
            if (i != null && i.pending()) {
                i.cancel();
            } else {
                leave(0);
            }
        }
    }

    /** The c_root closed: report FD_CLOSE(0) here and send LEAVE(0) to the leaf (§1.6). */
    void sessionEnded() {
        qos.release();
        if (ended.compareAndSet(false, true)) {
            JoinAttempt i = invite;
            if (i != null && i.pending()) {
                i.cancel();
                return;
            }
            upcalls.post(Winsock2.FD_CLOSE_BIT, 0);
            leave(0);
        }
    }

    /**
     * The slow-leaf policy gave up on this leaf: FD_CLOSE(WSAECONNABORTED) here, the connection is cut.
     *
     * @param boundReachedAt System.nanoTime when the leaf passed its bound (timer due, or backlog over the mark)
     */
    void evict(String reason, long boundReachedAt) {
        qos.release();
        if (ended.compareAndSet(false, true)) {
            long backlog = pendingBytes();
            root.transport.counters().evicted("evicted slow leaf " + leafAddress + " with WSAECONNABORTED: " + reason
                    + "; its backlog was " + backlog + " bytes", backlog, System.nanoTime() - boundReachedAt);
            root.forget(this);
            upcalls.post(Winsock2.FD_CLOSE_BIT, Winsock2.WSAECONNABORTED);
            PeerChannelHandler.closeWith(channel, Winsock2.WSAECONNABORTED);
        }
    }

    /** The invited leaf accepted (event loop); false when the invitation had already ended. */
    boolean onInviteAccepted(byte[] calleeData) {
        JoinAttempt i = invite;
        if (i == null || !i.pending() || ended.get()) {
            return false;
        }
        inviteAccepted = true;
        root.onInviteAccepted(this);
        if (!i.succeed(calleeData)) {
            root.forget(this);
            return false;
        }
        return true;
    }

    /** The invited leaf refused (CF_REJECT): WSAECONNREFUSED at the root (decisions 8). */
    void onInviteRejected(int code) {
        root.forget(this);
        qos.release();
        invite.fail(Winsock2.WSAECONNREFUSED, "leaf " + leafAddress + " refused the invitation ("
                + TcpSocket.describe(code) + ")");
    }

    /** The connection ended (event loop). */
    void onConnectionClosed(int code) {
        cancelSlowLeafTimer();
        qos.release();
        JoinAttempt i = invite;
        if (i != null && !inviteAccepted) {
            root.forget(this);
            ended.set(true);
            i.closedBeforeAnswer(code, "leaf " + leafAddress + " closed the connection before answering ("
                    + TcpSocket.describe(code) + ")");
            return;
        }
        if (ended.compareAndSet(false, true)) {
            root.forget(this);
            upcalls.post(Winsock2.FD_CLOSE_BIT, code);
        }
    }

    /** Writability changed (event loop): arm or disarm the slow-leaf timer; tell the root. */
    void onWritabilityChanged(boolean writable) {
        if (writable) {
            cancelSlowLeafTimer();
            root.onLeafWritable();
        } else if (slowLeafTimer == null && !ended.get()) {
            int timeout = root.transport.settings().slowLeafTimeoutMillis();
            long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
            slowLeafTimer = channel.eventLoop().schedule(() -> {
                slowLeafTimer = null;
                if (!channel.isWritable()) {
                    evict("unwritable for slowLeafTimeoutMillis (" + timeout + " ms)", due);
                }
            }, timeout, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelSlowLeafTimer() {
        if (slowLeafTimer != null) {
            slowLeafTimer.cancel(false);
            slowLeafTimer = null;
        }
    }

    private void leave(int code) {
        Channel c = channel;
        if (c != null) {
            c.attr(PeerChannelHandler.CLOSE_CODE).setIfAbsent(code);
            c.writeAndFlush(new Frame.Leave(code)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
