package org.joinleaf.bench.tcp;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.joinleaf.bench.Benchmark;
import org.joinleaf.bench.Measurement;
import org.joinleaf.bench.RunSettings;

/**
 * Issue 3 item 8: the TCP multipoint provider through the runtime, as plain objects, over 127.0.0.1 — join latency,
 * joins per second, fan-out to N leaves beside plain Netty (the ceiling), and root heap per joined idle leaf.
 *
 * <p>System properties (defaults in brackets): {@code bench.tcp.joinWarmup} [500] and {@code bench.tcp.joinSamples}
 * [2000]; {@code bench.tcp.joins} [20000], {@code bench.tcp.joinThreads} [4] and the root's
 * {@code bench.tcp.acceptThreads} [4] for the join rate, which also stops after {@code bench.sendSeconds}; {@code bench.tcp.leaves} [1,10,100,1000] with {@code bench.sizes}; each
 * fan-out trial sends {@code min(bench.messages, bench.tcp.deliveries [4000000] / N)} messages (at least 1000) or
 * for {@code bench.sendSeconds}, after one discarded warm-up trial per variant of {@code bench.warmupMessages} to
 * 10 leaves; {@code bench.tcp.heapLeaves} [10000]. A count of 0 skips that part.
 */
public final class TcpBenchmark implements Benchmark {
    private static final int WARMUP_LEAVES = 10;
    /** TCP loses nothing: a trial whose last copies take longer than this after the last send fails. */
    private static final long DRAIN_MILLIS = 30_000;

    /** The two fan-out variants; plain Netty runs first so the joinleaf line can carry the ratio. */
    private enum Variant {
        NETTY {
            @Override
            Fanout open(int leaves, int size) throws IOException, InterruptedException {
                return NettyFanout.open(leaves, size);
            }
        },
        JOINLEAF {
            @Override
            Fanout open(int leaves, int size) throws IOException, InterruptedException {
                return JoinleafFanout.open(leaves, size);
            }
        };

        abstract Fanout open(int leaves, int size) throws IOException, InterruptedException;

        String label() {
            return "fanout-" + name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public void run(RunSettings settings, Consumer<Measurement> sink) throws Exception {
        System.err.println("tcp: open-file limit " + HeapPerLeaf.descriptorLimit() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / 1048576 + " MiB, load average "
                + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        int samples = Integer.getInteger("bench.tcp.joinSamples", 2000);
        if (samples > 0) {
            sink.accept(Joins.latency(Integer.getInteger("bench.tcp.joinWarmup", 500), samples));
        }
        int joins = Integer.getInteger("bench.tcp.joins", 20_000);
        if (joins > 0) {
            sink.accept(Joins.rate(Integer.getInteger("bench.tcp.joinThreads", 4),
                    Integer.getInteger("bench.tcp.acceptThreads", 4), joins, settings.sendMillis()));
        }
        int heapLeaves = Integer.getInteger("bench.tcp.heapLeaves", 10_000);
        if (heapLeaves > 0) { // before the fan-out, whose pooled buffers would only add noise to the heap figure
            sink.accept(HeapPerLeaf.measure(heapLeaves));
        }
        fanout(settings, sink);
    }

    private static void fanout(RunSettings settings, Consumer<Measurement> sink) throws Exception {
        long deliveries = Long.getLong("bench.tcp.deliveries", 4_000_000);
        List<Integer> leafCounts = Arrays.stream(System.getProperty("bench.tcp.leaves", "1,10,100,1000").split(","))
                .map(String::trim).map(Integer::valueOf).filter(n -> n > 0).collect(Collectors.toUnmodifiableList());
        if (leafCounts.isEmpty()) {
            return;
        }
        int smallest = settings.messageSizes().get(0);
        for (Variant v : Variant.values()) {
            Measurement m = trial(v, WARMUP_LEAVES, smallest, settings.warmupMessages(), settings);
            System.err.println("warm-up (discarded): " + m.toCsv());
        }
        for (int size : settings.messageSizes()) {
            if (size < 8) {
                throw new IllegalArgumentException("tcp fan-out messages carry an 8-byte sequence number; "
                        + "bench.sizes must be >= 8, was " + size);
            }
            for (int leaves : leafCounts) {
                int messages = (int) Math.max(1000, Math.min(settings.messages(), deliveries / leaves));
                Measurement ceiling = trial(Variant.NETTY, leaves, size, messages, settings);
                sink.accept(ceiling);
                Measurement joinleaf = trial(Variant.JOINLEAF, leaves, size, messages, settings);
                if (joinleaf.notes().startsWith(FanoutTrial.FAILED)) {
                    // Shown, then measured once more on a fresh stack (provider races seen under load: see README).
                    sink.accept(joinleaf);
                    joinleaf = trial(Variant.JOINLEAF, leaves, size, messages, settings);
                }
                double r = ceiling.messagesPerSecond() == 0 ? 0
                        : joinleaf.messagesPerSecond() / ceiling.messagesPerSecond();
                sink.accept(withRatio(joinleaf, r));
            }
        }
    }

    private static Measurement withRatio(Measurement m, double ratio) {
        return new Measurement(m.benchmark(), m.variant(), m.receivers(), m.messageBytes(), m.sent(), m.delivered(),
                m.durationNanos(), m.notes() + String.format(Locale.ROOT, ";ratio_vs_netty=%.2f", ratio));
    }

    private static Measurement trial(Variant v, int leaves, int size, int messages, RunSettings settings)
            throws Exception {
        try (Fanout f = v.open(leaves, size)) {
            return FanoutTrial.run(v.label(), f, size, messages, settings.sendMillis(), DRAIN_MILLIS);
        }
    }
}
