package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundInvoker;
import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.WsaException;
import org.joinleaf.tcp.session.LimitCounters.Limit;

/**
 * {@code maxQueuedBytes}: DATA bytes handed to Netty and not yet written to the kernel, over every connection of
 * the provider: the direct memory the outbound data holds. A fan-out or relay frame is one buffer shared by its
 * leaves, so it counts once, from the send until the last leaf's kernel took it (or its write failed or was
 * dropped); each leaf's own share of it is counted in that leaf's backlog ({@code LinkSocket}).
 *
 * <p>Over the cap an application's send fails with a {@linkplain WsaException#waitable waitable} {@code WSAENOBUFS}
 * rather than {@code WSAEWOULDBLOCK}: the cap is a provider-wide safety net behind the per-connection flow control
 * (water marks, FD_WRITE, slow-leaf eviction), and a WSAEWOULDBLOCK would owe an FD_WRITE to every socket of the
 * provider when memory frees up. A non-blocking caller gets the code; a blocking one waits: the refused socket's
 * wake-up ({@link #check}) joins the full budget's waiters, one entry per socket, and posts FD_WRITE once the budget
 * is down to its low mark (decision 50). A root relaying a leaf's message (non-rooted data) cannot refuse anyone,
 * so relays are counted but not checked: the sending leaf stops being read while the cap is reached (and while a
 * relay target is over its mark), so relays pass the cap by at most one read per sending leaf.
 */
final class OutboundBudget {
    private final long max;
    private final LimitCounters counters;
    private final MemoryBudget queued;
    /**
     * The heap of the queued writes: a shared frame costs its direct memory once but Netty's bookkeeping (outbound
     * entry, promise, duplicate, listeners) once per leaf. Issue 11, raw JOINs: about 26,000 queued writes to
     * non-reading members held 6.5 MB of a 32 MB heap and the collector paused the gateway 16 s in 41 s.
     */
    private final MemoryBudget writes;

    /**
     * @param max       {@code maxQueuedBytes}
     * @param maxFrame  the largest frame a send makes ({@code maxMessageSize} plus the header): the cap's low mark
     *                  leaves room for it, so a send woken at the low mark fits (never a wake-up that is refused again)
     * @param writeHeap the heap the queued writes' bookkeeping may take ({@link DerivedLimits#queuedWriteHeap()})
     */
    OutboundBudget(long max, long maxFrame, long writeHeap, LimitCounters counters) {
        this.max = max;
        this.counters = counters;
        this.queued = new MemoryBudget("maxQueuedBytes", max, Math.max(0, Math.min(max / 2, max - maxFrame)));
        this.writes = new MemoryBudget("queued writes' heap", writeHeap);
    }

    /**
     * Refuses a send of {@code bytes} more (one frame) with WSAENOBUFS if it passes the cap, or if the queued writes'
     * bookkeeping already fills its heap share: waitable, {@code wake} (the socket's FD_WRITE post, the same object
     * each time) then runs once when that budget is down to its low mark. A frame larger than the cap itself can
     * never pass: that refusal is final.
     */
    void check(long bytes, Runnable wake) throws WsaException {
        if (bytes > max) {
            counters.refused(Limit.QUEUED_BYTES, "a send of " + bytes + " bytes is larger than maxQueuedBytes");
            throw new WsaException(Winsock2.WSAENOBUFS, "a send of " + bytes + " bytes can never fit maxQueuedBytes ("
                    + max + "): send less or raise maxQueuedBytes");
        }
        long now = queued.used();
        MemoryBudget full = null;
        String detail = null;
        if (now + bytes > max) {
            full = queued;
            detail = "a send of " + bytes + " bytes with " + now + " already queued would pass maxQueuedBytes ("
                    + max + ")";
        } else if (writes.over()) {
            full = writes;
            detail = "the writes queued to leaves (" + writes.used() / DerivedLimits.QUEUED_WRITE_HEAP_BYTES
                    + ") fill the heap their bookkeeping may take (" + writes.limit() + " B, heap / "
                    + DerivedLimits.QUEUED_WRITE_HEAP_SHARE + ")";
        }
        if (full != null) {
            counters.refused(Limit.QUEUED_BYTES, detail);
            full.whenDrained(wake); // at once if it drained meanwhile: the caller's retry then goes through
            throw WsaException.waitable(Winsock2.WSAENOBUFS, detail + "; slow receivers hold the memory: a blocking "
                    + "send waits for them, a non-blocking one retries later; lower the slow-leaf timeout or raise "
                    + "maxQueuedBytes");
        }
    }

    /** Writes and flushes {@code frame} (ownership passes), counting it until the kernel took it or it failed. */
    void write(Channel channel, ByteBuf frame) {
        int size = frame.readableBytes();
        charge(size);
        writes.charge(DerivedLimits.QUEUED_WRITE_HEAP_BYTES);
        write(channel, frame, true, () -> {
            credit(size);
            writes.credit(DerivedLimits.QUEUED_WRITE_HEAP_BYTES);
        });
    }

    /**
     * Counts a frame of {@code size} bytes that {@code writes} leaves share; the returned count is settled as their
     * writes end (several at once when a loop copied the frame into a batch), and the last one uncounts the frame.
     */
    Shared chargeShared(int size, int writes) {
        charge(size);
        this.writes.charge((long) writes * DerivedLimits.QUEUED_WRITE_HEAP_BYTES);
        return new Shared(size, writes);
    }

    /**
     * A loop copied frames into one batch of {@code size} bytes that {@code writes} leaf writes share: the copied
     * frames' counts pass to the batch, {@code freed} bytes of frames whose last hold the copy was (see
     * {@link Shared#copied}) and {@code writesEnded} of their writes. Settled as one net change per budget, not a
     * credit and a charge per frame.
     */
    Shared rebatch(int size, int writes, long freed, long writesEnded) {
        adjust(queued, size - freed);
        adjust(this.writes, (writes - writesEnded) * DerivedLimits.QUEUED_WRITE_HEAP_BYTES);
        return new Shared(size, writes);
    }

    private static void adjust(MemoryBudget budget, long delta) {
        if (delta > 0) {
            budget.charge(delta);
        } else if (delta < 0) {
            budget.credit(-delta);
        }
    }

    /** One counted frame (or batch) and the writes of it still to end. */
    final class Shared extends AtomicInteger {
        private static final long serialVersionUID = 1L;
        private final int size;

        private Shared(int size, int writes) {
            super(writes);
            this.size = size;
        }

        /**
         * {@code writes} of the shared frame were copied into a batch ({@link #rebatch} settles their heap share):
         * the frame's size when no write of it is left, which the caller passes on as freed, else 0.
         */
        int copied(int writes) {
            return addAndGet(-writes) == 0 ? size : 0;
        }

        /** {@code writes} of the shared frame ended (written, failed, or dropped). */
        void done(int writes) {
            OutboundBudget.this.writes.credit((long) writes * DerivedLimits.QUEUED_WRITE_HEAP_BYTES);
            if (addAndGet(-writes) == 0) {
                credit(size);
            }
        }
    }

    void charge(long bytes) {
        queued.charge(bytes);
    }

    /** Uncounts charged bytes that will never be written. */
    void credit(long bytes) {
        queued.credit(bytes);
    }

    /**
     * Writes {@code frame} (ownership passes) and runs {@code done} when the kernel took it or the write failed (or
     * was discarded). Without {@code flush} the caller flushes the channel later.
     */
    static void write(Channel channel, ByteBuf frame, boolean flush, Runnable done) {
        write(channel, channel, frame, flush, done);
    }

    /** As above, entering {@code channel}'s pipeline at {@code entry} (the channel, or one of its contexts). */
    static void write(ChannelOutboundInvoker entry, Channel channel, ByteBuf frame, boolean flush, Runnable done) {
        (flush ? entry.writeAndFlush(frame) : entry.write(frame)).addListener(f -> {
            done.run();
            if (!f.isSuccess() && channel.isOpen()) {
                channel.pipeline().fireExceptionCaught(f.cause()); // what the void promise used to do
            }
        });
    }

    long queued() {
        return queued.used();
    }

    /** Heap the queued writes' bookkeeping takes now (tests, diagnostics). */
    long writeHeap() {
        return writes.used();
    }

    /** At or over the cap: relayed leaves stop being read (a relay cannot be refused). */
    boolean over() {
        return queued.over() || writes.over();
    }

    /** Runs {@code retry} once the full budget is down to its low mark (at once if it is). */
    void whenDrained(Runnable retry) {
        (queued.over() ? queued : writes).whenDrained(retry);
    }
}
