package org.joinleaf.gateway.hostile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.Winsock2;

/**
 * A legitimate join every 200 ms from 127.0.0.100-149: connect, JOIN, wait for ACCEPT, LEAVE. Each probe runs on its
 * own worker so a slow join does not delay the next; at most {@link #MAX_OUTSTANDING} run at once, and one that
 * cannot start counts as failed (the gateway made it wait). A failed join counts as infinitely slow in the p99.
 */
final class JoinProber implements AutoCloseable {
    static final int PERIOD_MILLIS = 200;
    /** The gateway's own join deadline (joinTimeoutMillis default). */
    private static final int TIMEOUT_MILLIS = 5000;
    private static final int MAX_OUTSTANDING = 32;

    private final int port;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService workers = Executors.newFixedThreadPool(MAX_OUTSTANDING);
    private final Semaphore outstanding = new Semaphore(MAX_OUTSTANDING);
    private final List<Long> millis = new ArrayList<>(); // Long.MAX_VALUE: failed
    private final Map<String, Integer> failures = new TreeMap<>();
    private int next;

    JoinProber(int port) {
        this.port = port;
        clock.scheduleAtFixedRate(this::probe, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void probe() {
        String source = "127.0.0." + (100 + next++ % 50);
        if (!outstanding.tryAcquire()) {
            record(Long.MAX_VALUE, "more than " + MAX_OUTSTANDING + " joins outstanding");
            return;
        }
        workers.execute(() -> {
            long start = System.nanoTime();
            try (RawPeer p = RawPeer.join(source, port, Winsock2.JL_BOTH, TIMEOUT_MILLIS)) {
                record(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), null);
                p.write(Wire.leave(0));
            } catch (IOException e) {
                record(Long.MAX_VALUE, e.getClass().getSimpleName() + ": " + e.getMessage());
            } finally {
                outstanding.release();
            }
        });
    }

    private synchronized void record(long ms, String failure) {
        millis.add(ms);
        if (failure != null) {
            failures.merge(failure, 1, Integer::sum);
        }
    }

    /** Marks where the attack starts: figures count from here. */
    synchronized void reset() {
        millis.clear();
        failures.clear();
    }

    synchronized int count() {
        return millis.size();
    }

    synchronized int failed() {
        return (int) millis.stream().filter(m -> m == Long.MAX_VALUE).count();
    }

    /** The 99th percentile in ms (Long.MAX_VALUE when more than 1 % failed), or -1 without a sample. */
    synchronized long p99() {
        if (millis.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(millis);
        sorted.sort(null);
        return sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
    }

    synchronized String failures() {
        return failures.toString();
    }

    @Override
    public void close() throws InterruptedException {
        clock.shutdownNow();
        clock.awaitTermination(5, TimeUnit.SECONDS);
        workers.shutdown();
        workers.awaitTermination(TIMEOUT_MILLIS + 1000, TimeUnit.MILLISECONDS);
    }
}
