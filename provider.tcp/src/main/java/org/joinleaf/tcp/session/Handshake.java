package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joinleaf.api.Winsock2;

/**
 * An accepted connection until its opening frame (JOIN or INVITE) arrives: it holds a place under the
 * pending-handshake caps and is closed at the absolute opening deadline ({@code openingFrameTimeoutMillis}, at most
 * {@code joinTimeoutMillis}), counted from when the server accepted it (not from when the child's pipeline became
 * active, which a loaded event loop delays). Ends exactly once: opening frame, close, deadline, or dropped by the
 * {@link HandshakeGate} to make room for a newcomer.
 */
final class Handshake {
    private final HandshakeGate gate;
    private final InetAddress source;
    private final HandshakeGate.Prefix prefix;
    private final int timeoutMillis;
    private final LimitCounters counters;
    /** System.nanoTime of the deadline: accept time plus joinTimeoutMillis. */
    private final long due;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Set by {@link #arm} on the child's loop. */
    private volatile Channel child;
    private volatile ScheduledFuture<?> deadline;
    /** The gate dropped it for a newcomer: the connection is reset as soon as it has a channel. */
    private volatile boolean dropped;

    /**
     * A connection just accepted (the deadline runs from now), to be counted by {@code gate}; its channel comes with
     * {@link #arm}, made on the loop that will own it.
     */
    Handshake(HandshakeGate gate, InetAddress source, int timeoutMillis, LimitCounters counters) {
        this.gate = gate;
        this.source = source;
        this.prefix = HandshakeGate.Prefix.of(source);
        this.timeoutMillis = timeoutMillis;
        this.counters = counters;
        this.due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /**
     * On the loop of {@code child}, as it registers: ends the handshake when it closes and schedules the deadline
     * there, still counted from the accept. Does nothing when the handshake already ended; false when the gate
     * dropped it: the connection is being reset, so nothing more is set up on it.
     */
    boolean arm(Channel child) {
        this.child = child;
        if (dropped) {
            reset(child);
            return false;
        }
        if (ended.get()) {
            return true;
        }
        child.closeFuture().addListener(f -> end());
        deadline = child.eventLoop().schedule(this::expire, Math.max(0, due - System.nanoTime()),
                TimeUnit.NANOSECONDS);
        return true;
    }

    private void expire() {
        if (end()) {
            counters.deadlineClosed(() -> "closed " + child.remoteAddress() + " with WSAECONNABORTED: no JOIN/INVITE "
                    + "within openingFrameTimeoutMillis (" + timeoutMillis + " ms)", System.nanoTime() - due);
            reset(child);
        }
    }

    /** RST: a dribbling peer's connection is gone at once, leaves no TIME_WAIT on the root and costs no TLS work. */
    private static void reset(Channel child) {
        PeerChannelHandler.resetBeforeAdmission(child, Winsock2.WSAECONNABORTED);
    }

    InetAddress source() {
        return source;
    }

    HandshakeGate.Prefix prefix() {
        return prefix;
    }

    /**
     * The gate no longer counts it (its place went to a newcomer): reset the connection, on its loop, now or as soon
     * as it has a channel. Any thread.
     */
    void drop() {
        dropped = true;
        if (end()) {
            Channel c = child;
            if (c != null) {
                c.eventLoop().execute(() -> reset(c));
            }
        }
    }

    /** The opening frame arrived or the connection ended: frees the place and disarms the deadline. */
    boolean end() {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
        gate.close(this);
        return true;
    }
}
