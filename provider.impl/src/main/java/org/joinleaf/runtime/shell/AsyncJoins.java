package org.joinleaf.runtime.shell;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The joins {@code joinleaf:joinasync} runs off the shell's thread (issue 15 item 6): each blocks a worker of its
 * own until it ends, then its outcome goes to the console and into the short history {@code joinleaf:jobs} shows.
 * Bounded both ways: at most {@link #MAX_RUNNING} joins at once (one more is refused, not queued) and the last
 * {@link #MAX_KEPT} outcomes.
 */
final class AsyncJoins implements AutoCloseable {
    static final int MAX_RUNNING = 4;
    static final int MAX_KEPT = 16;

    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final Deque<String> outcomes = new ArrayDeque<>();
    private final Consumer<String> console;
    private final ThreadPoolExecutor workers;

    AsyncJoins(Consumer<String> console) {
        this.console = console;
        workers = new ThreadPoolExecutor(MAX_RUNNING, MAX_RUNNING, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "joinleaf-shell-join");
                    t.setDaemon(true); // a join in flight never holds the JVM up; WSACleanup ends it anyway
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code join} on a worker; returns the job's number, or -1 when {@link #MAX_RUNNING} are under way. */
    int start(String description, Supplier<String> join) {
        int id = ids.incrementAndGet();
        try {
            workers.execute(() -> {
                running.incrementAndGet();
                String outcome;
                try {
                    outcome = join.get();
                } catch (RuntimeException e) {
                    outcome = "failed: " + e;
                } finally {
                    running.decrementAndGet();
                }
                finish("join " + id + " (" + description + "): " + outcome);
            });
        } catch (RejectedExecutionException e) {
            return -1;
        }
        return id;
    }

    private void finish(String line) {
        synchronized (outcomes) {
            if (outcomes.size() == MAX_KEPT) {
                outcomes.removeFirst();
            }
            outcomes.addLast(line);
        }
        console.accept("joinleaf: " + line);
    }

    int running() {
        return running.get();
    }

    /** The last outcomes, oldest first. */
    List<String> outcomes() {
        synchronized (outcomes) {
            return new ArrayList<>(outcomes);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
