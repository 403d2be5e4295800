package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joinleaf.api.Winsock2;

/**
 * An accepted connection until its opening frame (JOIN or INVITE) arrives: it holds a place under the
 * pending-handshake caps and is closed at the absolute join deadline, armed when the server accepted it (not when
 * the child's pipeline became active, which a loaded event loop delays). Ends exactly once: opening frame, close,
 * or deadline.
 */
final class Handshake {
    private final HandshakeGate gate;
    private final InetAddress source;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Null only until the constructor assigned it (a 1 ms deadline may fire first). */
    private volatile ScheduledFuture<?> deadline;

    /** Counted already by {@code gate}; {@code loop} is the event loop {@code child} will be registered with. */
    Handshake(Channel child, EventLoop loop, HandshakeGate gate, InetAddress source, int timeoutMillis,
              LimitCounters counters) {
        this.gate = gate;
        this.source = source;
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.deadline = loop.schedule(() -> {
            if (end()) {
                counters.deadlineClosed("closed " + child.remoteAddress() + " with WSAECONNABORTED: no JOIN/INVITE "
                        + "within joinTimeoutMillis (" + timeoutMillis + " ms)", System.nanoTime() - due);
                // RST: a dribbling peer's connection is gone at once and leaves no TIME_WAIT on the root.
                child.config().setOption(ChannelOption.SO_LINGER, 0);
                PeerChannelHandler.closeWith(child, Winsock2.WSAECONNABORTED);
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        child.closeFuture().addListener(f -> end());
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
        gate.close(source);
        return true;
    }
}
