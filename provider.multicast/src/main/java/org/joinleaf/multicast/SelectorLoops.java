package org.joinleaf.multicast;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.spi.DatagramBudget;

/**
 * The provider's I/O threads ({@code receiveThreads} of them, issue 14 item 4): one {@link SelectorLoop} each, and
 * every socket is served by one of them for its whole life, dealt round-robin as sockets open. One thread drained
 * every socket before, so a fan-out to many local members lost in the kernel what that one thread could not read;
 * now the sockets' reads spread over the cores. Every loop reads into its own 64 KiB buffer (the provider's only
 * direct memory: {@code receiveThreads} × 64 KiB); the queues stay charged to the one {@link DatagramBudget}.
 */
final class SelectorLoops {
    private final List<SelectorLoop> loops;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * Starts {@code count} loops named {@code threadName-0..}; {@code onFatal} runs when any of them cannot select any
     * more. Loops already started are stopped again when a later one cannot open its selector.
     */
    SelectorLoops(int count, String threadName, Runnable onFatal, long stopTimeoutMillis) throws IOException {
        List<SelectorLoop> started = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                started.add(new SelectorLoop(threadName + "-" + i, onFatal));
            }
        } catch (IOException | RuntimeException e) {
            for (SelectorLoop loop : started) {
                loop.stop(stopTimeoutMillis);
            }
            throw e;
        }
        loops = List.copyOf(started);
    }

    /** The loop the next new socket is served by. */
    SelectorLoop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    int size() {
        return loops.size();
    }

    /** Installs a test seam on every loop (package-private: tests only). */
    void injectFaults(SelectorLoop.Faults faults) {
        for (SelectorLoop loop : loops) {
            loop.injectFaults(faults);
        }
    }

    /** Throwables the loops caught and survived, together. */
    long failures() {
        long sum = 0;
        for (SelectorLoop loop : loops) {
            sum += loop.failures();
        }
        return sum;
    }

    void wakeup() {
        for (SelectorLoop loop : loops) {
            loop.wakeup();
        }
    }

    /** True while every I/O thread runs. */
    /** A line per loop whose thread has stopped (for the health check). */
    List<String> stopped() {
        List<String> out = new ArrayList<>();
        for (SelectorLoop loop : loops) {
            if (!loop.isAlive()) {
                out.add(loop.threadName() + " has stopped");
            }
        }
        return out;
    }

    boolean allAlive() {
        return loops.stream().allMatch(SelectorLoop::isAlive);
    }

    /** True while any I/O thread still runs. */
    boolean anyAlive() {
        return loops.stream().anyMatch(SelectorLoop::isAlive);
    }

    /** Stops every loop; the bound applies to all of them together (they are asked to stop first). */
    void stop(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        for (SelectorLoop loop : loops) {
            loop.requestStop();
        }
        for (SelectorLoop loop : loops) {
            loop.stop(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
    }
}
