package org.joinleaf.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.joinleaf.runtime.dto.CountersDTO;

/**
 * The messages and bytes one socket sent and received, in its own fields (issue 14): one atomic add per count on a
 * line no other socket writes, where the provider's shared adders cost every reader thread two more per message.
 * Its provider's {@link Counters} sum the live sockets' counts on read and keep what a closed socket counted; a count
 * made after the close (a call racing closesocket) is folded in by the thread that made it.
 */
final class SocketTraffic {
    static final int NEW = 0;
    static final int LIVE = 1;
    static final int CLOSED = 2;

    private static final VarHandle MESSAGES_IN;
    private static final VarHandle BYTES_IN;
    private static final VarHandle MESSAGES_OUT;
    private static final VarHandle BYTES_OUT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MESSAGES_IN = l.findVarHandle(SocketTraffic.class, "messagesIn", long.class);
            BYTES_IN = l.findVarHandle(SocketTraffic.class, "bytesIn", long.class);
            MESSAGES_OUT = l.findVarHandle(SocketTraffic.class, "messagesOut", long.class);
            BYTES_OUT = l.findVarHandle(SocketTraffic.class, "bytesOut", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Counters provider;
    private volatile long messagesIn;
    private volatile long bytesIn;
    private volatile long messagesOut;
    private volatile long bytesOut;
    /** NEW until the first count makes it one of the provider's live sockets; CLOSED once folded in at close. */
    volatile int state = NEW;
    // What the provider already folded in; guarded by the provider's Counters.
    long foldedMessagesIn;
    long foldedBytesIn;
    long foldedMessagesOut;
    long foldedBytesOut;

    SocketTraffic(Counters provider) {
        this.provider = provider;
    }

    void received(int bytes) {
        MESSAGES_IN.getAndAdd(this, 1L);
        BYTES_IN.getAndAdd(this, (long) bytes);
        settle();
    }

    void sent(int bytes) {
        MESSAGES_OUT.getAndAdd(this, 1L);
        BYTES_OUT.getAndAdd(this, (long) bytes);
        settle();
    }

    /**
     * After a count (volatile add, then volatile read of the state): either the state read LIVE before a close
     * wrote CLOSED, so the close's fold sees this count, or it reads CLOSED and this thread folds the count in.
     */
    private void settle() {
        if (state != LIVE) {
            provider.settle(this);
        }
    }

    /** closesocket, or the provider left: what this socket counted stays in its provider's totals. */
    void close() {
        provider.close(this);
    }

    long messagesIn() {
        return messagesIn;
    }

    long bytesIn() {
        return bytesIn;
    }

    long messagesOut() {
        return messagesOut;
    }

    long bytesOut() {
        return bytesOut;
    }

    void fill(CountersDTO d) {
        d.messagesIn = messagesIn;
        d.bytesIn = bytesIn;
        d.messagesOut = messagesOut;
        d.bytesOut = bytesOut;
    }
}
