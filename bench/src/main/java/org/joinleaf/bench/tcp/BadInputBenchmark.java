package org.joinleaf.bench.tcp;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.joinleaf.bench.Benchmark;
import org.joinleaf.bench.Measurement;
import org.joinleaf.bench.RunSettings;
import org.joinleaf.bench.Verdict;
import org.joinleaf.tcp.BadInputCatalogueTest;
import org.junit.runner.JUnitCore;
import org.junit.runner.Result;
import org.junit.runner.notification.Failure;

/**
 * reliability.md scorecard 4's timing: runs provider.tcp's bad-input catalogue ({@link BadInputCatalogueTest}, the
 * one table of cases with their expected Winsock codes) {@code bench.badinput.rounds} [3] times through JUnit, and
 * takes, after every case, how long the good leaf's join took (socket, JOIN, the root's accept, connected).
 * Figures: p50/p99/max over every case of every round, target p99 &lt;= 100 ms; any case whose code was wrong makes
 * the verdict FAIL and is named on stderr. {@code bench.badinput.warmupRounds} [1] rounds run first, unmeasured.
 */
public final class BadInputBenchmark implements Benchmark {
    private final int rounds = Integer.getInteger("bench.badinput.rounds", 3);
    private final int warmups = Integer.getInteger("bench.badinput.warmupRounds", 1);

    @Override
    public void run(RunSettings settings, Consumer<Measurement> sink) {
        System.err.println("badinput: load average before " + FloodBenchmark.loadAverage());
        for (int i = 0; i < warmups; i++) {
            System.err.println("badinput: warm-up round " + (i + 1) + " of " + warmups + " (not measured)");
            catalogue(new ArrayList<>());
        }
        List<Long> joins = new ArrayList<>();
        int cases = 0;
        int failures = 0;
        String slowest = "";
        long slowestNanos = -1;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            Result result = catalogue(joins);
            cases += result.getRunCount();
            failures += result.getFailureCount();
            for (Map.Entry<String, Long> e : BadInputCatalogueTest.goodJoinNanosByRow().entrySet()) {
                if (e.getValue() > slowestNanos) {
                    slowestNanos = e.getValue();
                    slowest = e.getKey();
                }
            }
        }
        long nanos = System.nanoTime() - start;
        long[] sorted = joins.stream().mapToLong(Long::longValue).sorted().toArray();
        double p99 = sorted.length == 0 ? Double.NaN : Joins.percentile(sorted, 99) / 1e6;
        String verdict = failures > 0 ? "verdict=FAIL(" + failures + " of " + cases + " cases failed)"
                : Verdict.check("scorecard 4: a good leaf's join after each bad-input case p99", p99, 100, true, "ms");
        if (failures > 0) {
            System.err.println("FAIL scorecard 4: " + failures + " of " + cases + " bad-input cases failed (above)");
        }
        String notes = String.format(Locale.ROOT, "%s;p50_ms=%.2f;p99_ms=%.2f;max_ms=%.2f;cases_per_round=%d;"
                        + "rounds=%d;warmup_rounds=%d;slowest_case=%s", verdict,
                sorted.length == 0 ? Double.NaN : Joins.percentile(sorted, 50) / 1e6, p99,
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6, cases / Math.max(1, rounds),
                rounds, warmups, slowest.replaceAll("[,;\\s]+", "_"));
        sink.accept(new Measurement("badinput", "good-join-after-each-case", 1, 0, cases, sorted.length, nanos,
                notes));
        System.err.println("badinput: load average after " + FloodBenchmark.loadAverage());
    }

    /**
     * One run of the whole catalogue; adds each case's good-join time to {@code joins} and prints failed cases on
     * stderr. The catalogue's own printouts go to stderr too: stdout carries the CSV only.
     */
    private static Result catalogue(List<Long> joins) {
        PrintStream csv = System.out;
        System.setOut(System.err);
        try {
            Result result = new JUnitCore().run(BadInputCatalogueTest.class);
            for (Failure f : result.getFailures()) {
                System.err.println("badinput: case failed: " + f.getTestHeader() + ": " + f.getMessage());
            }
            joins.addAll(BadInputCatalogueTest.goodJoinNanosByRow().values());
            return result;
        } finally {
            System.setOut(csv);
        }
    }
}
