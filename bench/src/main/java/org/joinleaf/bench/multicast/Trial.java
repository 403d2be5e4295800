package org.joinleaf.bench.multicast;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.joinleaf.bench.Measurement;
import org.joinleaf.bench.RunSettings;

/**
 * One measurement on an open {@link Fanout}, identical for every variant: reader threads drain the receivers while
 * this thread sends as fast as the API allows (waiting for send room on would-block) until the message count or the
 * time limit is reached, then stragglers are drained for a bounded time and the readers stop.
 */
final class Trial {
    /** Longest a reader blocks in one wait, so it notices the stop flag quickly. */
    private static final long POLL_MILLIS = 20;
    /** Bound on waiting for reader threads to end (they wake every POLL_MILLIS). */
    private static final long JOIN_MILLIS = 2000;
    /** Datagrams per second the sender keeps to (0: unpaced, as fast as the API allows). */
    private static final long RATE = Long.getLong("bench.multicast.rate", 0);

    private final Fanout fanout;
    private final RunSettings settings;
    private final LongAdder delivered = new LongAdder();
    private final AtomicLong lastDelivery = new AtomicLong(Long.MIN_VALUE);
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> readerFailure = new AtomicReference<>();

    private Trial(Fanout fanout, RunSettings settings) {
        this.fanout = fanout;
        this.settings = settings;
    }

    /** Sends up to {@code messages} datagrams of {@code messageBytes} to {@code receivers} receivers and counts. */
    static Measurement run(String variant, Fanout fanout, int receivers, int messageBytes, int messages,
                           RunSettings settings) throws IOException, InterruptedException {
        return new Trial(fanout, settings).measure(variant, receivers, messageBytes, messages);
    }

    private Measurement measure(String variant, int receivers, int messageBytes, int messages)
            throws IOException, InterruptedException {
        List<Thread> readers = startReaders();
        byte[] message = new byte[messageBytes];
        long sent = 0;
        long refused = 0;
        long kernelDropsBefore = KernelUdpDrops.now();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        long sendEnd;
        try {
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(settings.sendMillis());
            while (sent < messages && System.nanoTime() - deadline < 0 && readerFailure.get() == null) {
                pace(start, sent);
                if (fanout.trySend(message)) {
                    sent++;
                } else {
                    refused++;
                    fanout.awaitSendRoom(POLL_MILLIS);
                }
            }
            sendEnd = System.nanoTime();
            drain(sent * receivers, sendEnd);
        } finally {
            stopReaders(readers);
        }
        long cpu = processCpuNanos() - cpuBefore;
        if (readerFailure.get() != null) {
            throw new IOException("a reader thread failed: " + readerFailure.get(), readerFailure.get());
        }
        long end = Math.max(sendEnd, lastDelivery.get());
        String notes = String.format(Locale.ROOT,
                "readers=%d;paced=%d/s;send_rate=%.0f/s;cpu_ns_per_delivery=%.0f;send_refused=%d;stopped_by=%s;%s;%s",
                readers.size(), RATE, sent * 1e9 / (sendEnd - start), (double) cpu / Math.max(1, delivered.sum()),
                refused, sent < messages ? "time" : "count",
                KernelUdpDrops.since(kernelDropsBefore), fanout.bufferingNote());
        return new Measurement("multicast", variant, receivers, messageBytes, sent, delivered.sum(), end - start,
                notes);
    }

    /** CPU time of this whole process (sender, readers, provider threads), user and system; 0 where unknown. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /**
     * With a rate set: waits until datagram {@code sent} is due ({@code start} + sent / rate). Late wake-ups are made
     * up by sending the datagrams already due back to back, so the average rate holds.
     */
    private static void pace(long start, long sent) {
        if (RATE <= 0) {
            return;
        }
        long due = start + sent * 1_000_000_000L / RATE;
        for (long now = System.nanoTime(); due - now > 0; now = System.nanoTime()) {
            LockSupport.parkNanos(due - now);
        }
    }

    /** Waits until everything arrived, or no datagram came for quietMillis, or drainMillis passed. */
    private void drain(long expected, long sendEnd) throws InterruptedException {
        long deadline = sendEnd + TimeUnit.MILLISECONDS.toNanos(settings.drainMillis());
        long seen = -1;
        while (delivered.sum() < expected && delivered.sum() != seen && System.nanoTime() - deadline < 0) {
            seen = delivered.sum();
            Thread.sleep(settings.quietMillis()); // polling a counter, not synchronising: progress decides
        }
    }

    private List<Thread> startReaders() {
        List<Thread> threads = new ArrayList<>();
        List<Fanout.Reader> shares = fanout.readers();
        for (int i = 0; i < shares.size(); i++) {
            Fanout.Reader share = shares.get(i);
            Thread t = new Thread(() -> readUntilStopped(share), "bench-reader-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    private void readUntilStopped(Fanout.Reader share) {
        try {
            while (!stop.get()) {
                int n = share.readSome(POLL_MILLIS);
                if (n > 0) {
                    delivered.add(n);
                    lastDelivery.accumulateAndGet(System.nanoTime(), Math::max);
                }
            }
        } catch (IOException | RuntimeException e) {
            readerFailure.compareAndSet(null, e);
        }
    }

    private void stopReaders(List<Thread> readers) throws InterruptedException {
        stop.set(true);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        for (Thread t : readers) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop within " + JOIN_MILLIS + " ms");
            }
        }
    }
}
