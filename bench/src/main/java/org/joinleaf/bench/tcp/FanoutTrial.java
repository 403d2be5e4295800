package org.joinleaf.bench.tcp;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.joinleaf.bench.Measurement;

/**
 * One fan-out measurement on an open {@link Fanout}, the same for every variant: this thread sends numbered
 * messages until the count or the time limit, then waits (bounded) until every leaf has every message. The rate is
 * deliveries over first send to last delivery; every leaf must end with exactly the messages sent, in order. A trial
 * that breaks that (a reader failed, a leaf short of messages) still gives its line, marked {@code FAILED} in the
 * notes, so one bad trial does not hide the others.
 */
final class FanoutTrial {
    /** How the notes of a failed trial begin. */
    static final String FAILED = "FAILED=";
    private FanoutTrial() {
    }

    /**
     * CPU time of the whole process (every thread, user and system): on a shared machine the CPU a delivery costs
     * is steadier than the wall-clock rate (bench-peers reports the same figure).
     */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /**
     * @param drainMillis bound on waiting for the last deliveries after the sender stopped; TCP loses nothing, so
     *                    a leaf still short after it fails the trial
     */
    static Measurement run(String variant, Fanout fanout, int messageBytes, int messages, long sendMillis,
                           long drainMillis) {
        return run(variant, fanout, messageBytes, messages, 0, sendMillis, drainMillis);
    }

    /** The same with the sender paced at {@code perSecond} messages per second (0: as fast as it can). */
    static Measurement run(String variant, Fanout fanout, int messageBytes, int messages, int perSecond,
                           long sendMillis, long drainMillis) {
        long every = perSecond == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perSecond;
        int leaves = fanout.leaves().size();
        byte[] message = new byte[messageBytes];
        long sent = 0;
        String failure = null;
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        long sendEnd = start;
        try {
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(sendMillis);
            while (sent < messages && System.nanoTime() - deadline < 0) {
                if (every > 0) {
                    LockSupport.parkNanos(start + sent * every - System.nanoTime());
                }
                SequenceCheck.stamp(message, sent);
                fanout.send(message);
                sent++;
                if ((sent & 1023) == 0) {
                    fanout.rethrowReaderFailure();
                }
            }
            sendEnd = System.nanoTime();
            long expected = sent * leaves;
            long drainDeadline = sendEnd + TimeUnit.MILLISECONDS.toNanos(drainMillis);
            while (fanout.delivered() < expected && System.nanoTime() - drainDeadline < 0) {
                fanout.rethrowReaderFailure();
                LockSupport.parkNanos(100_000); // polling a counter for the end time (0.1 ms resolution)
            }
            fanout.rethrowReaderFailure();
            for (SequenceCheck leaf : fanout.leaves()) {
                if (leaf.delivered() != sent) {
                    throw new IOException("a leaf got " + leaf.delivered() + " of " + sent + " messages within "
                            + drainMillis + " ms after the last send");
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e.getMessage();
            sendEnd = sendEnd == start ? System.nanoTime() : sendEnd;
        }
        long end = System.nanoTime();
        long cpu = processCpuNanos() - cpuStart;
        String verdict = failure == null ? "verified=count+order"
                : FAILED + failure.replaceAll("[,\\r\\n]", " ");
        String notes = String.format(Locale.ROOT, "%s;send_rate=%.0f/s;cpu_ns_per_delivery=%.0f;stopped_by=%s;%s",
                verdict, sent * 1e9 / Math.max(1, sendEnd - start), cpu / (double) Math.max(1, fanout.delivered()),
                sent < messages ? "time" : "count", fanout.note());
        return new Measurement("tcp", variant, leaves, messageBytes, sent, fanout.delivered(), end - start, notes);
    }
}
