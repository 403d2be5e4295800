package org.joinleaf.bench.tcp;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.joinleaf.bench.Benchmark;
import org.joinleaf.bench.Measurement;
import org.joinleaf.bench.RunSettings;
import org.joinleaf.bench.Verdict;
import org.joinleaf.tcp.protocol.FrameCodec;
import org.joinleaf.tcp.session.LimitCounters;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.SlowLeafPolicy;

/**
 * reliability.md scorecard 2: a paced fan-out (policy EVICT, the default) to {@code bench.stall.leaves} [10]
 * healthy leaves plus one {@link StalledLeaf} that stops reading, against the same fan-out without it.
 * {@code bench.stall.rate} [2000] messages/s of {@code bench.stall.bytes} [1024] bytes for
 * {@code bench.stall.messages} [10000] messages; slow-leaf timeout {@code bench.stall.timeoutMillis} [1000]; high
 * water mark {@code bench.stall.highWaterMark} [1 MiB] (low: half); the default receive queue (1024 messages). A healthy leaf whose reader thread
 * is descheduled for longer than its slack (twice the high water mark at the paced rate) is evicted too: that shows
 * as a FAILED trial, as it should.
 *
 * <p>Verdicts: healthy leaves get 100 % in order (the trial's sequence check); the stalled leaf is evicted within its
 * bound + 100 ms (measured by the provider from the moment the bound was passed to the FD_CLOSE post); its backlog
 * never exceeded the eviction mark (2 x high water mark) plus one message (plus the 5-byte PONGs it asked for);
 * the healthy leaves' delivery rate is at least 0.9 x the rate without the stalled leaf.
 */
public final class StallBenchmark implements Benchmark {
    private static final long DRAIN_MILLIS = 30_000;

    @Override
    public void run(RunSettings settings, Consumer<Measurement> sink) throws Exception {
        int leaves = Integer.getInteger("bench.stall.leaves", 10);
        int rate = Integer.getInteger("bench.stall.rate", 2000);
        int bytes = Integer.getInteger("bench.stall.bytes", 1024);
        int messages = Integer.getInteger("bench.stall.messages", 10_000);
        int timeout = Integer.getInteger("bench.stall.timeoutMillis", 1000);
        System.err.println("stall: load average before " + FloodBenchmark.loadAverage());
        TcpSettings.Builder b = TcpStack.fromOneAddress(TcpStack.settings());
        b.slowLeafPolicy = SlowLeafPolicy.EVICT;
        b.slowLeafTimeoutMillis = timeout;
        // Slack for healthy leaves whose reader threads a loaded 2-core machine deschedules: the eviction mark
        // (2 x high water) holds about a second of the paced stream.
        b.writeBufferHighWaterMark = Integer.getInteger("bench.stall.highWaterMark", 1024 * 1024);
        b.writeBufferLowWaterMark = b.writeBufferHighWaterMark / 2;
        TcpSettings s = b.build();
        long sendMillis = Math.max(settings.sendMillis(), 2L * messages * 1000 / rate);

        Measurement baseline;
        try (JoinleafFanout f = JoinleafFanout.open(TcpStack.of(s), leaves, bytes, 0, root -> { })) {
            baseline = FanoutTrial.run("stall-baseline", f, bytes, messages, rate, sendMillis, DRAIN_MILLIS);
        }
        sink.accept(baseline);

        AtomicReference<StalledLeaf> stalled = new AtomicReference<>();
        TcpStack stack = TcpStack.of(s);
        try (JoinleafFanout f = JoinleafFanout.open(stack, leaves, bytes, 1,
                root -> stalled.set(new StalledLeaf(root)))) {
            Measurement withStall = FanoutTrial.run("stall-with-stalled-leaf", f, bytes, messages, rate, sendMillis,
                    DRAIN_MILLIS);
            LimitCounters c = stack.provider().transport().counters();
            long frame = FrameCodec.HEADER + bytes;
            long bound = 2L * s.writeBufferHighWaterMark() + frame + (long) FrameCodec.HEADER * stalled.get().pings();
            double ratio = baseline.messagesPerSecond() == 0 ? 0
                    : withStall.messagesPerSecond() / baseline.messagesPerSecond();
            String notes = String.join(";",
                    withStall.notes(),
                    "evicted=" + c.count(LimitCounters.Limit.SLOW_LEAF),
                    c.count(LimitCounters.Limit.SLOW_LEAF) == 1
                            ? Verdict.check("scorecard 2: eviction after the bound", c.largestEvictionDelayNanos() / 1e6,
                            100, true, "ms")
                            : "verdict=FAIL(stalled leaf not evicted exactly once)",
                    Verdict.check("scorecard 2: stalled leaf's peak backlog (bytes) vs 2 x high water + one message",
                            c.largestEvictedBacklog(), bound, true, "B"),
                    Verdict.check("scorecard 2: healthy rate vs without the stalled leaf", ratio, 0.9, false, "x"),
                    String.format(Locale.ROOT, "healthy_in_order=%s;slowLeafTimeoutMillis=%d;paced_rate=%d/s",
                            withStall.notes().startsWith(FanoutTrial.FAILED) ? "NO" : "YES", timeout, rate));
            sink.accept(new Measurement(withStall.benchmark(), withStall.variant(), withStall.receivers(),
                    withStall.messageBytes(), withStall.sent(), withStall.delivered(), withStall.durationNanos(),
                    notes));
        } finally {
            if (stalled.get() != null) {
                stalled.get().close();
            }
        }
        System.err.println("stall: load average after " + FloodBenchmark.loadAverage());
    }
}
