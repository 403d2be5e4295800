package org.joinleaf.tcp.session;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.joinleaf.tcp.session.LimitCounters.PeerEvent;

/**
 * A listening channel whose accepting thread does no more than {@code accept()}: each accepted {@code java.nio}
 * connection goes straight to a {@link Sink}, which counts it and hands it on; its Netty channel (pipeline, config,
 * id) is built on a session loop. Netty's own server channel builds that child on the accepting thread, which in a
 * fresh JVM runs interpreted and left a burst of 500 connects waiting 160-320 ms in the kernel's accept queue
 * (scorecard 8 counts the join deadline from the peer's connect).
 *
 * <p>An accept that fails (EMFILE/ENFILE "Too many open files", ENOBUFS...) leaves the connection in the kernel's
 * queue, so the selector would report it again at once: instead accepting pauses for {@link #BACKOFF_MILLIS} (one
 * summarised log line per second, issue 11) and resumes by itself. When the sink can free a descriptor (it resets
 * a pending handshake, issue 11: held connections with nofile=256) accepting resumes after {@link #RETRY_MILLIS}
 * instead, so the caller behind the flood gets that descriptor. Nothing reaches this channel's pipeline.
 */
class AcceptOnlyServerChannel extends NioServerSocketChannel {
    /** How long accepting pauses after a failed accept. */
    static final long BACKOFF_MILLIS = 100;
    /** How long accepting pauses after a failed accept while the sink frees a descriptor (the reset's round trip). */
    static final long RETRY_MILLIS = 2;

    /** Takes each connection {@code server} accepted, on the accepting thread; must not block nor throw. */
    interface Sink {
        void accepted(AcceptOnlyServerChannel server, SocketChannel connection);

        /** accept() failed (on the accepting thread): true when a descriptor is being freed, so retry soon. */
        default boolean acceptFailed() {
            return false;
        }
    }

    private final Sink sink;
    private final LimitCounters counters;
    /** Accepting thread only: a resume is scheduled. */
    private boolean backingOff;

    AcceptOnlyServerChannel(ServerSocketChannel bound, Sink sink, LimitCounters counters) {
        super(bound);
        this.sink = sink;
        this.counters = counters;
    }

    /** One accept per call; Netty's read loop calls again up to maxMessagesPerRead while this returns 1. */
    @Override
    protected int doReadMessages(List<Object> ignored) throws Exception {
        SocketChannel connection;
        try {
            connection = accept();
        } catch (IOException e) {
            backOff(e);
            return 0;
        }
        if (connection == null) {
            return 0;
        }
        sink.accepted(this, connection);
        return 1;
    }

    /** The accept system call (a seam for tests that make it fail). */
    SocketChannel accept() throws IOException {
        return javaChannel().accept();
    }

    private void backOff(IOException e) {
        long pause = sink.acceptFailed() ? RETRY_MILLIS : BACKOFF_MILLIS;
        counters.peerEvent(PeerEvent.ACCEPT_FAILURE, () -> "accepting on " + localAddress() + " failed: " + e
                + "; pausing accepts for " + pause + " ms (raise the open-file limit if it is EMFILE)");
        if (backingOff || !isOpen()) {
            return;
        }
        backingOff = true;
        config().setAutoRead(false);
        eventLoop().schedule(() -> {
            backingOff = false;
            if (isOpen()) {
                config().setAutoRead(true);
            }
        }, pause, TimeUnit.MILLISECONDS);
    }
}
