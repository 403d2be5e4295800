package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One event loop's share of a c_root's fan-out (or relay). A send queues its encoded frame here and wakes the loop
 * only if no drain is already due; the drain copies the frames queued for the same leaves into one batch buffer
 * (up to {@link #BATCH_BYTES}), writes that batch to each leaf (a retained duplicate), and flushes each leaf once
 * per drain. So a sender that is ahead costs one task, one write and one flush syscall per leaf per batch instead
 * of per message; a sender that is not ahead gets each message written and flushed at once.
 *
 * <p>Order per leaf holds: every frame reaches a leaf's channel through this queue in send order, and a LEAVE
 * written later from another thread queues behind the drain task. A frame's bytes are charged to each leaf's backlog
 * when the send hands it over, and credited per leaf as Netty finishes each write (of a batch: its bytes at once),
 * so a frame still waiting here counts toward its leaf's bound exactly like one in the leaf's write buffer. Memory:
 * the batch replaces the frames it copied, which are released (and uncounted in maxQueuedBytes) at once.
 */
final class LoopFanout {
    /** A batch's size: beyond it the drain writes what it has and starts another. */
    static final int BATCH_BYTES = 16 * 1024;
    /** Frames one drain takes before it yields the loop to I/O (and requeues itself). */
    private static final int MAX_FRAMES_PER_DRAIN = 1024;

    /** One send: its frame (a reference of this loop's), the leaves of this loop it goes to, and its count. */
    private record Send(ByteBuf frame, List<LinkSocket> leaves, OutboundBudget.Shared shared) {
    }

    private final EventLoop loop;
    private final ByteBufAllocator allocator;
    private final OutboundBudget outbound;
    private final Queue<Send> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    /** Loop-confined: the sends of the batch being built (all to the same leaves), and the channels to flush. */
    private final List<Send> batch = new ArrayList<>();
    private int batchBytes;
    private final Set<LinkSocket> unflushed = Collections.newSetFromMap(new IdentityHashMap<>());

    LoopFanout(EventLoop loop, ByteBufAllocator allocator, OutboundBudget outbound) {
        this.loop = loop;
        this.allocator = allocator;
        this.outbound = outbound;
    }

    /**
     * Queues {@code frame} (not taken: this loop keeps a reference) for {@code leaves}, all owned by this loop,
     * charging each leaf's backlog now; {@code shared} is settled once per leaf when its write is over.
     */
    void submit(ByteBuf frame, List<LinkSocket> leaves, OutboundBudget.Shared shared) {
        int size = frame.readableBytes();
        for (int i = 0, n = leaves.size(); i < n; i++) {
            leaves.get(i).charge(size);
        }
        queue.add(new Send(frame.retain(), leaves, shared));
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drain);
            } catch (RejectedExecutionException e) { // the loop is shutting down: nothing more is written
                dropQueued();
                scheduled.set(false);
            }
        }
    }

    private void drain() {
        scheduled.set(false); // first: a send queued from here on schedules another drain (or is taken below)
        Send s;
        int taken = 0;
        while (taken < MAX_FRAMES_PER_DRAIN && (s = queue.poll()) != null) {
            taken++;
            int size = s.frame().readableBytes();
            if (!batch.isEmpty() && (batch.get(0).leaves() != s.leaves() || batchBytes + size > BATCH_BYTES)) {
                writeBatch();
            }
            batch.add(s);
            batchBytes += size;
        }
        writeBatch();
        unflushed.forEach(LinkSocket::flush);
        unflushed.clear();
        if (!queue.isEmpty() && !scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drain); // more than one drain's worth queued: let the loop's I/O run in between
            } catch (RejectedExecutionException e) {
                dropQueued();
                scheduled.set(false);
            }
        }
    }

    /** Writes the batch's frames, copied into one buffer when there are several, to its leaves. */
    private void writeBatch() {
        if (batch.isEmpty()) {
            return;
        }
        List<LinkSocket> leaves = batch.get(0).leaves();
        ByteBuf out;
        OutboundBudget.Shared shared;
        if (batch.size() == 1) {
            out = batch.get(0).frame();
            shared = batch.get(0).shared();
        } else {
            out = allocator.directBuffer(batchBytes);
            for (Send s : batch) {
                ByteBuf f = s.frame();
                out.writeBytes(f, f.readerIndex(), f.readableBytes());
                f.release();
                s.shared().done(leaves.size()); // copied: this loop's writes of the frame are over
            }
            shared = outbound.chargeShared(batchBytes, leaves.size());
        }
        batch.clear();
        batchBytes = 0;
        try {
            for (int i = 0, n = leaves.size(); i < n; i++) {
                LinkSocket leaf = leaves.get(i);
                if (leaf.writeCharged(out.retainedDuplicate(), shared)) {
                    unflushed.add(leaf);
                }
            }
        } finally {
            out.release();
        }
    }

    /** The loop no longer runs tasks: uncounts and releases every queued frame. */
    private void dropQueued() {
        Send s;
        while ((s = queue.poll()) != null) {
            int size = s.frame().readableBytes();
            for (LinkSocket leaf : s.leaves()) {
                leaf.credit(size);
            }
            s.shared().done(s.leaves().size());
            s.frame().release();
        }
    }
}
