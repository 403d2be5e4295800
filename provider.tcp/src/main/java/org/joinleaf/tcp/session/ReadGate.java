package org.joinleaf.tcp.session;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether a connection is read, when several budgets may each want it paused: a full receive queue, a relay target
 * over its mark. It is read only while no reason holds. Reasons change on any thread; the channel's reading is
 * settled on its event loop, to the state holding when that runs, so whichever update runs last leaves it right
 * (a resume overtaken by a late pause would stall the connection for good). A pause from another thread also turns
 * autoRead off at once (decision 52), which that settling task corrects if a resume overtook it. A paused
 * connection is not read under either transport ({@link ReadSizes}, {@link PausedInput}: decision 49).
 */
final class ReadGate {
    /** The socket's receive queue, or the provider's receive total, is full. */
    static final int RECEIVE_QUEUE = 1;
    /** A leaf this connection's messages are relayed to is over its mark, or maxQueuedBytes is. */
    static final int RELAY = 2;

    private static final AttributeKey<AtomicInteger> PAUSED = AttributeKey.valueOf("org.joinleaf.tcp.readPaused");

    private ReadGate() {
    }

    static void pause(Channel c, int reason) {
        reasons(c).getAndUpdate(m -> m | reason);
        if (!c.eventLoop().inEventLoop()) {
            // Stop now, not when the loop gets to the task: what the channel reads from here on is held by
            // PausedInput rather than delivered (decision 52); the task below still settles the final state.
            c.config().setAutoRead(false);
        }
        apply(c);
    }

    static void resume(Channel c, int reason) {
        reasons(c).getAndUpdate(m -> m & ~reason);
        apply(c);
    }

    /** True while {@code reason} holds for {@code c}. */
    static boolean paused(Channel c, int reason) {
        return (reasons(c).get() & reason) != 0;
    }

    private static AtomicInteger reasons(Channel c) {
        AtomicInteger fresh = new AtomicInteger();
        AtomicInteger old = c.attr(PAUSED).setIfAbsent(fresh);
        return old == null ? fresh : old;
    }

    private static void apply(Channel c) {
        if (c.eventLoop().inEventLoop()) {
            boolean read = reasons(c).get() == 0;
            c.config().setAutoRead(read);
            if (read) {
                PausedInput.release(c); // before the read just asked for: it may pause the connection again
            }
        } else {
            try {
                c.eventLoop().execute(() -> apply(c));
            } catch (RejectedExecutionException e) {
                // the loop is shutting down and closes the channel: nothing left to read
            }
        }
    }
}
