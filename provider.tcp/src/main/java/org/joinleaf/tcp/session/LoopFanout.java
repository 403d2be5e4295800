package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One event loop's share of a c_root's fan-out. Each send hands the loop ONE task that writes the frame to every
 * receiving leaf that loop owns; the leaves are flushed when the loop has no further fan-out task of this root
 * queued (or every {@link #MAX_UNFLUSHED_TASKS} tasks), so a sender that is ahead costs one flush syscall per leaf
 * per burst instead of one task and one flush per leaf per message.
 *
 * <p>Order per leaf holds: every frame reaches a leaf's channel through its loop's task queue, in send order, and a
 * LEAVE written later from another thread queues behind them. The bytes of a task are charged to the
 * {@link OutboundBudget} when the send hands it over and credited per leaf as Netty finishes each write, so the
 * budget also covers frames still waiting in the loop's queue.
 *
 * <p>Frames waiting in the loop's queue are not yet in any channel's write buffer, so the water marks do not see
 * them: {@link #behind()} bounds them instead (a BLOCK_SENDER root refuses sends with WSAEWOULDBLOCK meanwhile), and
 * {@code onRoom} runs on the loop when the backlog falls back under the bound, so the owed FD_WRITE is paid.
 */
final class LoopFanout {
    /** Bounds how long written frames wait for a flush while the sender keeps the loop's queue non-empty. */
    private static final int MAX_UNFLUSHED_TASKS = 32;

    private final EventLoop loop;
    private final OutboundBudget budget;
    /** Tasks handed to the loop and not yet run. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Frame bytes (once per task, as each leaf of the loop gets all of them) of the tasks not yet run. */
    private final AtomicLong backlogBytes = new AtomicLong();
    private final long maxBacklogBytes;
    private final Runnable onRoom;
    /** Loop-confined: channels written since the last flush. */
    private final Set<Channel> unflushed = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Loop-confined. */
    private int tasksSinceFlush;

    /**
     * @param maxBacklogBytes frame bytes that may wait in the loop's queue before {@link #behind()} says so
     * @param onRoom runs on the loop each time the backlog falls back under {@code maxBacklogBytes}
     */
    LoopFanout(EventLoop loop, OutboundBudget budget, long maxBacklogBytes, Runnable onRoom) {
        this.loop = loop;
        this.budget = budget;
        this.maxBacklogBytes = maxBacklogBytes;
        this.onRoom = onRoom;
    }

    /** True while the frames waiting for this loop reach the bound: the root should not hand it more. */
    boolean behind() {
        return behind(backlogBytes.get());
    }

    private boolean behind(long bytes) {
        return bytes > 0 && bytes >= maxBacklogBytes;
    }

    /** Queues {@code frame} (not taken: a retained duplicate is) for {@code leaves}, all owned by this loop. */
    void submit(ByteBuf frame, List<LeafLink> leaves) {
        int size = frame.readableBytes();
        long bytes = (long) size * leaves.size();
        ByteBuf mine = frame.retainedDuplicate();
        budget.charge(bytes);
        queued.incrementAndGet();
        backlogBytes.addAndGet(size);
        try {
            loop.execute(() -> write(mine, leaves));
        } catch (RejectedExecutionException e) { // the loop is shutting down: nothing was written
            queued.decrementAndGet();
            backlogBytes.addAndGet(-size);
            budget.credit(bytes);
            mine.release();
        }
    }

    private void write(ByteBuf frame, List<LeafLink> leaves) {
        int size = frame.readableBytes();
        try {
            for (LeafLink leaf : leaves) {
                Channel channel = leaf.channel();
                budget.writeCharged(channel, frame.retainedDuplicate(), false);
                unflushed.add(channel);
            }
        } finally {
            frame.release();
        }
        if (queued.decrementAndGet() == 0 || ++tasksSinceFlush >= MAX_UNFLUSHED_TASKS) {
            unflushed.forEach(Channel::flush);
            unflushed.clear();
            tasksSinceFlush = 0;
        }
        long left = backlogBytes.addAndGet(-size);
        if (behind(left + size) && !behind(left)) {
            onRoom.run();
        }
    }
}
