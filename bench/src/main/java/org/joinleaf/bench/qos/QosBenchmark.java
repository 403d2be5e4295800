package org.joinleaf.bench.qos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.joinleaf.bench.Benchmark;
import org.joinleaf.bench.Measurement;
import org.joinleaf.bench.RunSettings;
import org.joinleaf.bench.qos.ShapingTrial.FlowResult;

/**
 * Issue 5 item 6, shaping accuracy: leaves of one rooted root on 127.0.0.1 (runtime + provider.tcp + the QoS
 * service, plain objects) send with blocking sends as fast as the API allows for {@code bench.sendSeconds}. Trials:
 * for each token rate a shaped flow alone, an unshaped flow alone, and the two together. Reported per flow: achieved
 * rate against TokenRate, the most bytes in any 10 ms / 100 ms / 1 s window against TokenBucketSize + TokenRate ×
 * window (send return times: a window may hold one message more than the bucket released in it), the longest gap
 * between sends and the time gaps exceeded the bucket's fill time (tokens lost to a sender held up elsewhere), and
 * the unshaped flow's throughput against its throughput alone (measured right before). A run costs about
 * 9 × {@code bench.sendSeconds} plus a 3 s warm-up.
 *
 * <p>Properties: {@code bench.qos.rates} [65536,1048576,10485760] token rates in bytes/s (the default capacity,
 * 10 MiB/s, admits each alone); {@code bench.qos.messageBytes} [1024]; {@code bench.sendSeconds} and
 * {@code bench.drainMillis} from {@link RunSettings}. Sends are bounded by time only ({@code bench.messages} is
 * not used: an unshaped flow is meant to run flat out).
 */
public final class QosBenchmark implements Benchmark {
    private static final long[] WINDOWS_MILLIS = {10, 100, 1000};
    private static final long WARMUP_MILLIS = 3000;

    private final List<Long> rates = Arrays.stream(System.getProperty("bench.qos.rates", "65536,1048576,10485760")
            .split(",")).map(String::trim).map(Long::valueOf).collect(Collectors.toUnmodifiableList());
    private final int messageBytes = Integer.getInteger("bench.qos.messageBytes", 1024);

    @Override
    public void run(RunSettings settings, Consumer<Measurement> sink) throws Exception {
        try (QosRig rig = new QosRig()) {
            for (FlowResult r : ShapingTrial.run(rig, List.of(FlowSpec.UNSHAPED, new FlowSpec(rates.get(0))),
                    messageBytes, Math.min(WARMUP_MILLIS, settings.sendMillis()), settings.drainMillis())) {
                System.err.println("warm-up (discarded): " + measurement(r, "warmup", "").toCsv());
            }
            for (long rate : rates) {
                FlowSpec shaped = new FlowSpec(rate);
                sink.accept(shapedMeasurement(only(rig, shaped, settings), "alone"));
                // The unshaped baseline right before the pair, so JIT and machine drift hit both alike.
                FlowResult alone = only(rig, FlowSpec.UNSHAPED, settings);
                sink.accept(measurement(alone, "unshaped-alone-before-" + shaped.label(), ""));
                List<FlowResult> both = ShapingTrial.run(rig, List.of(shaped, FlowSpec.UNSHAPED), messageBytes,
                        settings.sendMillis(), settings.drainMillis());
                sink.accept(shapedMeasurement(both.get(0), "with-unshaped"));
                FlowResult unshaped = both.get(1);
                sink.accept(measurement(unshaped, "unshaped-with-" + shaped.label(), String.format(Locale.ROOT,
                        "vs_alone=%.3f", unshaped.achievedBytesPerSecond() / alone.achievedBytesPerSecond())));
            }
        }
    }

    private FlowResult only(QosRig rig, FlowSpec flow, RunSettings settings) throws Exception {
        return ShapingTrial.run(rig, List.of(flow), messageBytes, settings.sendMillis(), settings.drainMillis())
                .get(0);
    }

    /** A shaped flow's line: rate error and, per window, the most bytes seen against what the bucket allows. */
    private Measurement shapedMeasurement(FlowResult r, String company) {
        FlowSpec spec = r.spec();
        double achieved = r.achievedBytesPerSecond();
        StringBuilder notes = new StringBuilder(String.format(Locale.ROOT,
                "token_rate_Bps=%d;bucket_B=%d;error_pct=%+.2f;error_after_first_bucket_pct=%+.2f",
                spec.tokenRate(), spec.bucketBytes(), 100.0 * (achieved / spec.tokenRate() - 1),
                100.0 * ((r.log().bytes() - spec.bucketBytes()) * 1e9 / r.sendNanos() / spec.tokenRate() - 1)));
        double worst = 0;
        for (long w : WINDOWS_MILLIS) {
            long max = r.log().maxBytesInWindow(TimeUnit.MILLISECONDS.toNanos(w));
            long bound = spec.bucketBytes() + spec.tokenRate() * w / 1000;
            worst = Math.max(worst, (double) max / bound);
            notes.append(String.format(Locale.ROOT, ";max_%dms_B=%d;bound_%dms_B=%d", w, max, w, bound));
        }
        long fillNanos = spec.bucketBytes() * 1_000_000_000L / spec.tokenRate();
        notes.append(String.format(Locale.ROOT,
                ";worst_window_vs_bound=%.3f;longest_gap_ms=%.1f;gaps_beyond_bucket_ms=%.1f", worst, r.log().longestGapNanos() / 1e6, r.log().gapsBeyondNanos(fillNanos) / 1e6));
        if (!r.log().complete()) {
            notes.append(";windows_cover_first_sends_only");
        }
        return measurement(r, "shaped-" + spec.label() + "-" + company, notes.toString());
    }

    private Measurement measurement(FlowResult r, String variant, String extraNotes) {
        String notes = String.format(Locale.ROOT, "achieved_Bps=%.0f", r.achievedBytesPerSecond())
                + (extraNotes.isEmpty() ? "" : ";" + extraNotes);
        return new Measurement("qos", variant, 1, messageBytes, r.log().messages(), r.deliveredMessages(),
                r.sendNanos(), notes);
    }
}
