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

/**
 * One event loop's share of a c_root's fan-out (or relay). Each send hands the loop ONE task that writes the frame to
 * every receiving leaf that loop owns; the leaves are flushed when the loop has no further fan-out task of this root
 * queued (or every {@link #MAX_UNFLUSHED_TASKS} tasks), so a sender that is ahead costs one flush syscall per leaf
 * per burst instead of one task and one flush per leaf per message.
 *
 * <p>Order per leaf holds: every frame reaches a leaf's channel through its loop's task queue, in send order, and a
 * LEAVE written later from another thread queues behind them. A task's bytes are charged to each leaf's backlog
 * when the send hands it over, and credited per leaf as Netty finishes each write: a frame still waiting in the
 * loop's queue counts toward its leaf's bound exactly like one in the leaf's write buffer, so the slow-leaf rules
 * see everything a leaf makes the provider hold.
 */
final class LoopFanout {
    /** Bounds how long written frames wait for a flush while the sender keeps the loop's queue non-empty. */
    private static final int MAX_UNFLUSHED_TASKS = 32;

    private final EventLoop loop;
    /** Tasks handed to the loop and not yet run. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Loop-confined: channels written since the last flush. */
    private final Set<Channel> unflushed = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Loop-confined. */
    private int tasksSinceFlush;

    LoopFanout(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Queues {@code frame} (not taken: a retained duplicate is) for {@code leaves}, all owned by this loop, charging
     * each leaf's backlog now; {@code writeDone} runs once per leaf when its write is over (the shared frame's
     * count in the {@link OutboundBudget}).
     */
    void submit(ByteBuf frame, List<LinkSocket> leaves, Runnable writeDone) {
        int size = frame.readableBytes();
        ByteBuf mine = frame.retainedDuplicate();
        for (LinkSocket leaf : leaves) {
            leaf.charge(size);
        }
        queued.incrementAndGet();
        try {
            loop.execute(() -> write(mine, leaves, writeDone));
        } catch (RejectedExecutionException e) { // the loop is shutting down: nothing was written
            queued.decrementAndGet();
            for (LinkSocket leaf : leaves) {
                leaf.credit(size);
                writeDone.run();
            }
            mine.release();
        }
    }

    private void write(ByteBuf frame, List<LinkSocket> leaves, Runnable writeDone) {
        try {
            for (LinkSocket leaf : leaves) {
                if (leaf.writeCharged(frame.retainedDuplicate(), writeDone)) {
                    unflushed.add(leaf.channel());
                }
            }
        } finally {
            frame.release();
        }
        if (queued.decrementAndGet() == 0 || ++tasksSinceFlush >= MAX_UNFLUSHED_TASKS) {
            unflushed.forEach(Channel::flush);
            unflushed.clear();
            tasksSinceFlush = 0;
        }
    }
}
