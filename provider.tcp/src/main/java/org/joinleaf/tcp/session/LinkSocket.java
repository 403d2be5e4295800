package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
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
final class LinkSocket implements ProviderSocket {
    private final RootSocket root;
    private final SocketUpcalls upcalls;
    private final int direction;
    private final SOCKADDR leafAddress;
    /** Admission only (a link carries no data); released whenever the link ends. */
    private final SocketQos qos;
    private final AtomicBoolean ended = new AtomicBoolean();
    /**
     * Frames still on their way to this leaf are dropped: it was evicted or its connection is gone. A graceful end
     * (closesocket on either socket) keeps them: what was sent before it reaches the leaf ahead of its LEAVE.
     */
    private volatile boolean dropping;
    /** ACCEPT for a JOIN, until written: whatever runs first on the loop (its task, a fan-out drain) writes it. */
    private volatile Frame.Accept pendingAccept;
    private volatile Channel channel;
    private volatile JoinAttempt invite;
    /** True once an invited leaf accepted; a failed invitation never reports FD_CLOSE (its join failed instead). */
    private volatile boolean inviteAccepted;
    /** Event-loop confined: where DATA enters the connection's pipeline ({@link TcpTransport#dataEntry}), once known. */
    private ChannelOutboundInvoker dataEntry;
    /** Event-loop confined: evicts the leaf if it stays unwritable too long. */
    private ScheduledFuture<?> slowLeafTimer;
    /**
     * This leaf's share of {@code maxQueuedBytes}: DATA bytes sent to it (fan-out and relay) from the moment of the
     * send until the kernel took them, frames waiting on an event loop included. Over at the high water mark, room
     * again below it.
     */
    private final MemoryBudget backlog;
    private final int low;
    /** What relative eviction judges this leaf by (decision 38). */
    final LeafProgress progress;
    /** One object per leaf, so a target's waiting set holds this sender at most once (relay push-back). */
    final Runnable retryRelay = () -> retryRelay();

    LinkSocket(RootSocket root, SocketUpcalls upcalls, int direction, SOCKADDR leafAddress, SocketQos qos) {
        this.root = root;
        this.upcalls = upcalls;
        this.direction = direction;
        this.leafAddress = leafAddress;
        this.qos = qos;
        int high = root.transport.settings().writeBufferHighWaterMark();
        this.backlog = new MemoryBudget("writeBufferHighWaterMark", high, high - 1L);
        this.low = root.transport.settings().writeBufferLowWaterMark();
        this.progress = root.newLeafProgress();
    }

    private void retryRelay() {
        root.resumeRelayIfRoom(this);
    }

    void attach(Channel channel) {
        this.channel = channel;
        root.inbound.admit(channel); // paused with the root's other members while its queue is full (decision 52)
    }

    void inviting(JoinAttempt attempt) {
        this.invite = attempt;
    }

    /** The leaf joined {@code JL_RECEIVER_ONLY} or {@code JL_BOTH}. */
    boolean receives() {
        return direction != Winsock2.JL_SENDER_ONLY;
    }

    /** True while this leaf's backlog, counted from the send, is at or over the high water mark. */
    boolean overMark() {
        return backlog.over();
    }

    /** The leaf joined {@code JL_SENDER_ONLY} or {@code JL_BOTH}: it may send DATA. */
    boolean sends() {
        return direction != Winsock2.JL_RECEIVER_ONLY;
    }

    /** DATA bytes sent to this leaf and not yet taken by the kernel, frames waiting on an event loop included. */
    long backlogBytes() {
        return backlog.used();
    }

    /** True once the link ended (closed, evicted, or the leaf left). */
    boolean ended() {
        return ended.get();
    }

    /** Counts a frame sent to this leaf (any thread), from the send on. */
    void charge(int bytes) {
        if (backlog.charge(bytes)) {
            root.markCrossed(1);
        }
        long now = backlog.used();
        if (now == bytes) { // it had nothing waiting: its grace counts from now (decision 38)
            progress.waiting();
        }
        if (now > low) { // the gauge is about the largest backlogs: a shared counter per small frame would cost more
            root.transport.counters().leafBacklog(now);
        }
    }

    /**
     * Uncounts a frame the kernel took, or that was dropped (progress either way: a dropped leaf is no member any
     * more); tells the root when the backlog falls to the low water mark or empties (drained: the root may send
     * again, and a leaf behind the others may now be evicted). Not at each fall below the high mark: a blocked sender
     * woken there would send one message and block again, a wake-up per message; from the low mark it sends half a
     * high water mark's worth in one go (Netty's writability does the same).
     */
    void credit(int bytes) {
        if (backlog.credit(bytes)) { // its low mark is one byte under the high: this is the fall below the mark
            root.markCrossed(-1);
        }
        progress.progressed();
        long now = backlog.used(); // may already include a later charge: then a later credit crosses the mark
        if (now <= low && (now + bytes > low || now == 0)) {
            root.onLeafDrained();
        }
    }

    /** Runs {@code retry} once this leaf is below its mark (at once if it already is). */
    void whenDrained(Runnable retry) {
        backlog.whenDrained(retry);
    }

    /**
     * On the event loop: writes a DATA frame (or a batch of them) whose bytes were charged (ownership passes)
     * without flushing; false (frame dropped, bytes credited) when the leaf was evicted or its connection is gone.
     * {@code shared} is settled once when the write is over.
     */
    boolean writeCharged(ByteBuf frame, OutboundBudget.Shared shared) {
        writeAcceptIfPending();
        int size = frame.readableBytes();
        if (dropping || !channel.isActive()) {
            frame.release();
            credit(size);
            shared.done(1);
            return false;
        }
        OutboundBudget.write(dataEntry(), channel, frame, false, () -> {
            credit(size);
            shared.done(1);
        });
        return true;
    }

    private ChannelOutboundInvoker dataEntry() {
        ChannelOutboundInvoker e = dataEntry;
        if (e == null) {
            e = dataEntry = TcpTransport.dataEntry(channel);
        }
        return e;
    }

    /**
     * Answers the leaf's JOIN with {@code accept} (any thread), ahead of any DATA: a fan-out drain already due on
     * the leaf's loop when the link joins the fan-out may run before the task queued here, so it writes the ACCEPT
     * first itself (issue 11 hostile suite: legitimate joins read DATA before ACCEPT while the root kept sending).
     */
    void accepted(Frame.Accept accept) {
        pendingAccept = accept;
        Channel c = channel;
        try {
            c.eventLoop().execute(this::writeAcceptIfPending);
        } catch (RejectedExecutionException e) {
            c.close(); // the provider is stopping
        }
    }

    /** On the loop: writes a pending ACCEPT once. */
    private void writeAcceptIfPending() {
        Frame.Accept a = pendingAccept;
        if (a != null) {
            pendingAccept = null;
            channel.writeAndFlush(a, channel.voidPromise());
        }
    }

    /**
     * On the event loop, after {@link #writeCharged}: flushes, and notes when the kernel left a high water mark of
     * this leaf's data with Netty (it is not keeping up: decision 38). Not the backlog counted from the send: frames
     * waiting on a busy event loop say nothing about this leaf's connection.
     */
    void flush() {
        dataEntry().flush();
        if (!channel.isWritable()) {
            progress.atMark();
        }
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
     * The slow-leaf policy gave up on this leaf: FD_CLOSE(WSAECONNABORTED) here, and the leaf is told why (see
     * {@link #sayWhyAndClose}).
     *
     * @param boundReachedAt System.nanoTime when the leaf passed its bound (timer due, or backlog over the mark)
     */
    void evict(String reason, long boundReachedAt) {
        abort(() -> {
            long bytes = backlogBytes();
            root.transport.counters().evicted("evicted slow leaf " + leafAddress + " with WSAECONNABORTED: " + reason
                    + "; its backlog was " + bytes + " bytes", bytes, System.nanoTime() - boundReachedAt);
        });
    }

    /**
     * The leaf gives its member place to a caller from a network holding fewer places (decision 35): told why like
     * an evicted leaf, FD_CLOSE(WSAECONNABORTED) here.
     */
    void displace(String caller) {
        abort(() -> root.transport.counters().refused(LimitCounters.Limit.MEMBER_PLACE, () -> "displaced leaf "
                + leafAddress + " with WSAECONNABORTED: maxLeavesPerRoot (" + root.maxLinks() + ") reached and its "
                + "network holds the most places; " + caller + " takes its place (decision 35)"));
    }

    /** Ends the membership with WSAECONNABORTED on both sides; {@code count} records why, once. */
    private void abort(Runnable count) {
        qos.release();
        if (ended.compareAndSet(false, true)) {
            dropping = true;
            count.run();
            root.forget(this);
            upcalls.post(Winsock2.FD_CLOSE_BIT, Winsock2.WSAECONNABORTED);
            Channel c = channel;
            c.attr(PeerChannelHandler.CLOSE_CODE).setIfAbsent(Winsock2.WSAECONNABORTED);
            try {
                c.eventLoop().execute(() -> sayWhyAndClose(c));
            } catch (RejectedExecutionException e) {
                c.close(); // the provider is stopping
            }
        }
    }

    /**
     * On the event loop: the evicted leaf's backlog is dropped (it would only delay the news), LEAVE(WSAECONNABORTED)
     * is written behind what the kernel already has, and the connection closes gracefully once the LEAVE is out, or
     * after {@code slowLeafTimeoutMillis} if the leaf does not read that far. A frame the kernel took in part is
     * finished first, so the stream stays whole. Under TLS the backlog is already encrypted and cannot be dropped:
     * the LEAVE queues behind it.
     */
    private void sayWhyAndClose(Channel c) {
        if (c.pipeline().get(SslHandler.class) == null) {
            discardBacklog(c);
        }
        PeerChannelHandler.writeAndClose(c, new Frame.Leave(Winsock2.WSAECONNABORTED),
                root.transport.settings().slowLeafTimeoutMillis());
    }

    private static void discardBacklog(Channel c) {
        ChannelOutboundBuffer out = c.unsafe().outboundBuffer();
        if (out == null) {
            return;
        }
        out.addFlush(); // written but unflushed frames are dropped too
        ByteBuf rest = null;
        if (out.current() instanceof ByteBuf head && out.currentProgress() > 0) {
            rest = head.retainedSlice(); // the unsent end of a frame the kernel took in part
        }
        while (out.remove()) {
            // each removal releases its frame and completes its write: the budgets are credited
        }
        if (rest != null) {
            c.write(rest);
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
        dropping = true;
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

    /**
     * Writability changed (event loop): arm or disarm the slow-leaf timer. The timer evicts a leaf unwritable that
     * long only while another receiving leaf is writable (it fell behind the others); when every one is behind, the
     * sender is held back instead and the timer looks again one timeout later.
     */
    void onWritabilityChanged(boolean writable) {
        if (writable) {
            cancelSlowLeafTimer();
        } else if (slowLeafTimer == null && !ended.get()) {
            armSlowLeafTimer(System.nanoTime());
        }
    }

    private void armSlowLeafTimer(long unwritableSince) {
        int timeout = root.transport.settings().slowLeafTimeoutMillis();
        long due = unwritableSince + TimeUnit.MILLISECONDS.toNanos(timeout);
        slowLeafTimer = channel.eventLoop().schedule(() -> {
            slowLeafTimer = null;
            if (channel.isWritable() || ended.get()) {
                return;
            }
            if (root.anotherReceiverHasRoom(this)) {
                evict("unwritable for slowLeafTimeoutMillis (" + timeout + " ms) while other leaves kept up", due);
            } else {
                armSlowLeafTimer(System.nanoTime());
            }
        }, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
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
            root.afterQueuedData(c, () -> c.writeAndFlush(new Frame.Leave(code)).addListener(ChannelFutureListener.CLOSE));
        }
    }
}
