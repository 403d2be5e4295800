package org.joinleaf.tcp.session;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.tcp.protocol.Frame;

/**
 * One outgoing join or invitation: TCP connect, opening frame, then wait for ACCEPT or REJECT under one deadline
 * (joinTimeoutMillis, from the start of the connect). Finishes its {@link ConnectCompletion} exactly once, or never
 * after {@link #cancel()} (closesocket).
 */
final class JoinAttempt {
    private final ConnectCompletion completion;
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Failed or cancelled (not succeeded): only then may start() close a connection it set up meanwhile. */
    private volatile boolean abandoned;
    private volatile Channel channel;
    private volatile InetSocketAddress remote;
    private volatile ScheduledFuture<?> deadline;
    private volatile LimitCounters counters;

    JoinAttempt(ConnectCompletion completion) {
        this.completion = completion;
    }

    /**
     * Connects ({@code local} may be {@code null}: implicit bind) and sends {@code opening} once connected. The TCP
     * connect is bounded by the bootstrap's connect timeout (joinTimeoutMillis); the rest of the deadline is armed
     * on the connection's own loop once connected, so starting a join wakes no other event loop.
     */
    void start(TcpTransport transport, Bootstrap bootstrap, InetSocketAddress remote, InetSocketAddress local,
               Frame.Join opening) {
        this.remote = remote;
        this.counters = transport.counters();
        int timeout = transport.settings().joinTimeoutMillis();
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        ChannelFuture connect = local == null ? bootstrap.connect(remote) : bootstrap.connect(remote, local);
        channel = connect.channel();
        connect.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                armDeadline(f.channel(), due, timeout);
                f.channel().writeAndFlush(opening, f.channel().voidPromise());
            } else {
                int code = ErrorCodes.ofConnectFailure(f.cause());
                fail(code, "TCP connect to " + remote + " failed with " + WSAError.describe(code) + ": "
                        + f.cause().getMessage());
            }
        });
        if (abandoned) {
            // cancelled or timed out while the connect was being set up; a join that already SUCCEEDED (the whole
            // exchange can finish on the event loop before this line runs) must keep its connection
            channel.close();
        }
    }

    /** On the connection's loop: ACCEPT or REJECT must come by {@code due}, counted from the start of the connect. */
    private void armDeadline(Channel ch, long due, int timeout) {
        deadline = ch.eventLoop().schedule(() -> fail(Winsock2.WSAETIMEDOUT,
                "no answer from " + remote + " within joinTimeoutMillis (" + timeout + " ms); retry or raise it"),
                Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (!pending()) {
            stopDeadline(); // ended (cancelled by a close) while the connect finished
        }
    }

    /** The connection, once {@link #start} ran. */
    Channel channel() {
        return channel;
    }

    /** ACCEPT arrived; returns false when the attempt had already ended (then nothing is reported). */
    boolean succeed(byte[] calleeData) {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        stopDeadline();
        SafeUpcalls.run(() -> completion.connected(calleeData), counters, "the join's completion");
        return true;
    }

    /** Fails the attempt once and closes its connection. */
    void fail(int code, String message) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        abandoned = true;
        stopDeadline();
        closeChannel();
        SafeUpcalls.run(() -> completion.failed(code, message), counters, "the join's completion");
    }

    /**
     * The connection ended before ACCEPT or REJECT: the join is refused ({@code WSAECONNREFUSED}, decisions 8)
     * and logged once, unless a TLS failure already logged why (its close code is {@code WSAECONNREFUSED}).
     */
    void closedBeforeAnswer(int closeCode, String message) {
        String said = "join with " + remote + " refused: " + message;
        LimitCounters c = counters;
        if (pending() && closeCode != Winsock2.WSAECONNREFUSED && c != null) {
            c.peerEvent(LimitCounters.PeerEvent.JOIN_REFUSED, () -> said);
        }
        fail(Winsock2.WSAECONNREFUSED, said);
    }

    /** closesocket while pending: no completion follows. */
    void cancel() {
        // only close paths cancel: even a join that succeeded a moment ago loses its connection with the socket
        finished.set(true);
        abandoned = true;
        stopDeadline();
        closeChannel();
    }

    /** True while neither ACCEPT nor a failure nor a cancel happened. */
    boolean pending() {
        return !finished.get();
    }

    private void stopDeadline() {
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
    }

    private void closeChannel() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }
}
