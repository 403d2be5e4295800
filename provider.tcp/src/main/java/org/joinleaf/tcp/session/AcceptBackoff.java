package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.joinleaf.tcp.session.LimitCounters.PeerEvent;

/**
 * Pauses a listening channel's accepting after a failed accept (EMFILE/ENFILE "Too many open files", ENOBUFS...):
 * the connection stays in the kernel's queue, so the channel would be ready again at once. Accepting pauses for
 * {@link #BACKOFF_MILLIS} (one summarised log line per second, issue 11) and resumes by itself; when a descriptor is
 * being freed (a pending handshake reset, issue 11: held connections with nofile=256) it resumes after
 * {@link #RETRY_MILLIS} instead, so the caller behind the flood gets that descriptor. Accepting thread only.
 */
final class AcceptBackoff {
    /** How long accepting pauses after a failed accept. */
    static final long BACKOFF_MILLIS = 100;
    /** How long accepting pauses after a failed accept while a descriptor is freed (the reset's round trip). */
    static final long RETRY_MILLIS = 2;

    private final Channel server;
    /** Frees a descriptor if it can (true), on the accepting thread. */
    private final BooleanSupplier freeDescriptor;
    private final LimitCounters counters;
    /** A resume is scheduled. */
    private boolean backingOff;

    AcceptBackoff(Channel server, BooleanSupplier freeDescriptor, LimitCounters counters) {
        this.server = server;
        this.freeDescriptor = freeDescriptor;
        this.counters = counters;
    }

    void acceptFailed(Throwable e) {
        long pause = freeDescriptor.getAsBoolean() ? RETRY_MILLIS : BACKOFF_MILLIS;
        counters.peerEvent(PeerEvent.ACCEPT_FAILURE, () -> "accepting on " + server.localAddress() + " failed: " + e
                + "; pausing accepts for " + pause + " ms (raise the open-file limit if it is EMFILE)");
        if (backingOff || !server.isOpen()) {
            return;
        }
        backingOff = true;
        server.config().setAutoRead(false);
        server.eventLoop().schedule(() -> {
            backingOff = false;
            if (server.isOpen()) {
                server.config().setAutoRead(true);
            }
        }, pause, TimeUnit.MILLISECONDS);
    }
}
