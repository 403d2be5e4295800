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
 * only if no drain is already due; the drain copies the frames queued into one batch buffer (up to
 * {@link #BATCH_BYTES}), writes each leaf the part of that batch it is a target of (a retained slice: {@link Runs}),
 * and flushes each leaf once per drain. So a sender that is ahead costs one task, one write and one flush syscall
 * per leaf per batch instead of per message, also while members come and go between the sends (decision 46); a
 * sender that is not ahead gets each message written and flushed at once.
 *
 * <p>A drain makes at most {@link #MAX_WRITES_PER_DRAIN} leaf writes, then holds the rest of its batch for the next
 * drain, queued behind the loop's other tasks, so the loop reads its sockets in between (decision 44).
 *
 * <p>Order per leaf holds: every frame reaches a leaf's channel through this queue in send order, and a LEAVE
 * written later queues here too ({@link #then}), behind any frame still held. A frame's bytes are charged to each leaf's backlog
 * when the send hands it over, and credited per leaf as Netty finishes each write (of a batch: its bytes at once),
 * so a frame still waiting here counts toward its leaf's bound exactly like one in the leaf's write buffer. Memory:
 * the batch replaces the frames it copied, which are released (and uncounted in maxQueuedBytes) at once.
 */
final class LoopFanout {
    /** A batch's size: beyond it the drain writes what it has and starts another. */
    static final int BATCH_BYTES = 16 * 1024;
    /** Frames one drain takes before it yields the loop to I/O (and requeues itself). */
    private static final int MAX_FRAMES_PER_DRAIN = 1024;
    /**
     * Leaf writes one drain makes before it requeues itself (issue 11, raw-JOIN case): one batch to 1,024 leaves was
     * one long task, and the loop reads its sockets (a new member's JOIN) only between tasks.
     */
    static final int MAX_WRITES_PER_DRAIN = 256;

    /**
     * One send: its frame (a reference of this loop's), the leaves of this loop it goes to, and its count; or an
     * action (frame null) to run once everything queued before it is written.
     */
    private record Send(ByteBuf frame, List<LinkSocket> leaves, OutboundBudget.Shared shared, Runnable action) {
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
    /** Loop-confined: a batch written to its leaves up to {@link #nextRun}; the rest go first in the next drain. */
    private ByteBuf out;
    private OutboundBudget.Shared outShared;
    /** The held batch's runs: {@link #runs} from 0 to {@link #outRuns} (exclusive). */
    private int outRuns;
    private int nextRun;
    private final Runs<LinkSocket> runs = new Runs<>();
    private int writes;
    private final Set<LinkSocket> unflushed = Collections.newSetFromMap(new IdentityHashMap<>());

    LoopFanout(EventLoop loop, ByteBufAllocator allocator, OutboundBudget outbound) {
        this.loop = loop;
        this.allocator = allocator;
        this.outbound = outbound;
    }

    /**
     * Queues {@code frame} (a reference this loop takes over) for {@code leaves}, all owned by this loop, charging
     * each leaf's backlog now; {@code shared} is settled once per leaf when its write is over.
     */
    void submit(ByteBuf frame, List<LinkSocket> leaves, OutboundBudget.Shared shared) {
        int size = frame.readableBytes();
        for (int i = 0, n = leaves.size(); i < n; i++) {
            leaves.get(i).charge(size);
        }
        queue.add(new Send(frame, leaves, shared, null));
        schedule();
    }

    /**
     * Runs {@code action} on the loop once every frame queued here before it is written (a LEAVE must not overtake
     * DATA a drain left for its next turn); not at all when the loop is shutting down.
     */
    void then(Runnable action) {
        queue.add(new Send(null, List.of(), null, action));
        schedule();
    }

    private void schedule() {
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
        writes = 0;
        Send s;
        int taken = 0;
        if (writeRest()) {
            while (writes < MAX_WRITES_PER_DRAIN && taken < MAX_FRAMES_PER_DRAIN && (s = queue.poll()) != null) {
                taken++;
                int size = s.action() != null ? 0 : s.frame().readableBytes();
                if (!batch.isEmpty() && (batchBytes + size > BATCH_BYTES || s.action() != null
                        || batch.get(0).action() != null)) {
                    writeBatch();
                }
                batch.add(s); // behind a batch left part-written: it waits for the next drain
                batchBytes += size;
            }
            if (out == null && writes < MAX_WRITES_PER_DRAIN) {
                writeBatch(); // else the batch waits for the next drain, which may add to it
            }
        }
        unflushed.forEach(LinkSocket::flush); // records a leaf left at its mark (decision 38)
        unflushed.clear();
        if ((out != null || !batch.isEmpty() || !queue.isEmpty()) && !scheduled.get()
                && scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drain); // more than one drain's worth: let the loop's I/O run in between
            } catch (RejectedExecutionException e) {
                dropHeld();
                dropQueued();
                scheduled.set(false);
            }
        }
    }

    /**
     * Writes the batch's frames, copied into one buffer when there are several, to their leaves (some later): each
     * leaf its runs of consecutive frames it is a target of, one write per run.
     */
    private void writeBatch() {
        if (batch.isEmpty()) {
            return;
        }
        if (batch.get(0).action() != null) {
            batch.get(0).action().run(); // all before it is written (out is null here)
            batch.clear();
            return;
        }
        int at = 0;
        for (Send s : batch) {
            int size = s.frame().readableBytes();
            runs.add(s.leaves(), at, at + size);
            at += size;
        }
        outRuns = runs.end();
        if (batch.size() == 1) {
            out = batch.get(0).frame();
            outShared = batch.get(0).shared();
        } else {
            out = allocator.directBuffer(batchBytes);
            long freed = 0;
            long writesEnded = 0;
            for (Send s : batch) {
                ByteBuf f = s.frame();
                out.writeBytes(f, f.readerIndex(), f.readableBytes());
                f.release();
                int copied = s.leaves().size(); // this loop's writes of the frame are over
                writesEnded += copied;
                freed += s.shared().copied(copied);
            }
            outShared = outbound.rebatch(batchBytes, outRuns, freed, writesEnded);
        }
        batch.clear();
        batchBytes = 0;
        nextRun = 0;
        writeRest();
    }

    /** Writes the held batch to its leaves not yet written, within this drain's budget; true when it is all out. */
    private boolean writeRest() {
        if (out == null) {
            return true;
        }
        int base = out.readerIndex();
        while (nextRun < outRuns && writes < MAX_WRITES_PER_DRAIN) {
            LinkSocket leaf = runs.target(nextRun);
            ByteBuf run = out.retainedSlice(base + runs.from(nextRun), runs.length(nextRun));
            nextRun++;
            writes++;
            if (leaf.writeCharged(run, outShared)) {
                unflushed.add(leaf);
            }
        }
        if (nextRun < outRuns) {
            return false;
        }
        out.release();
        out = null;
        outShared = null;
        return true;
    }

    /** On the loop, which takes no more tasks: uncounts and releases the held batch and the batch being built. */
    private void dropHeld() {
        if (out != null) {
            for (int i = nextRun; i < outRuns; i++) {
                runs.target(i).credit(runs.length(i));
            }
            outShared.done(outRuns - nextRun);
            out.release();
            out = null;
        }
        batch.forEach(LoopFanout::drop);
        batch.clear();
        batchBytes = 0;
    }

    /** The loop no longer runs tasks: uncounts and releases every queued frame. */
    private void dropQueued() {
        Send s;
        while ((s = queue.poll()) != null) {
            drop(s);
        }
    }

    /** Uncounts and releases a send not written; an action is not run (its connection closes with the loop). */
    private static void drop(Send s) {
        if (s.action() != null) {
            return;
        }
        int size = s.frame().readableBytes();
        for (LinkSocket leaf : s.leaves()) {
            leaf.credit(size);
        }
        s.shared().done(s.leaves().size());
        s.frame().release();
    }
}
