package org.joinleaf.bench;

import java.util.function.Consumer;
import org.joinleaf.bench.multicast.MulticastBenchmark;
import org.joinleaf.bench.tcp.BadInputBenchmark;
import org.joinleaf.bench.tcp.CrashBenchmark;
import org.joinleaf.bench.tcp.FloodBenchmark;
import org.joinleaf.bench.tcp.Refusals;
import org.joinleaf.bench.tcp.StallBenchmark;
import org.joinleaf.bench.tcp.TcpBenchmark;
import org.joinleaf.bench.qos.QosBenchmark;

/**
 * Runs one benchmark by name ({@code Main multicast}, {@code tcp}, {@code qos}, {@code security}, {@code flood},
 * {@code badinput}, {@code stall}, {@code crash}, or {@code all}): a CSV header, then one line per measurement on
 * stdout; progress and skip reasons go to stderr. Limits come from system properties (see {@link RunSettings}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Benchmark benchmark = args.length == 1 ? byName(args[0]) : null;
        if (benchmark == null) {
            System.err.println("usage: Main <benchmark>   (benchmarks: multicast, tcp, qos, security, flood, badinput, stall, crash, all)");
            System.exit(2);
        }
        int status = 0;
        System.out.println(Measurement.CSV_HEADER);
        Consumer<Measurement> sink = m -> {
            System.out.println(m.toCsv());
            System.out.flush();
        };
        try {
            benchmark.run(RunSettings.fromSystemProperties(), sink);
        } catch (SkippedException e) {
            System.err.println("SKIPPED " + args[0] + ": " + e.getMessage());
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        reportLingeringThreads();
        // run() has closed everything it opened; exit also ends any daemon thread a provider failed to stop in time.
        System.exit(status);
    }

    /** Names threads of the harness or of joinleaf still alive after the run: each one is a cleanup bug. */
    private static void reportLingeringThreads() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && (t.getName().startsWith("bench-") || t.getName().startsWith("joinleaf-"))) {
                System.err.println("WARNING: thread " + t.getName() + " still runs after the benchmark closed everything");
            }
        }
    }

    /** The benchmark called {@code name}, or null. A new benchmark is one more case here. */
    static Benchmark byName(String name) {
        switch (name) {
            case "multicast":
                return new MulticastBenchmark();
            case "tcp":
                return new TcpBenchmark();
            case "all":
                return (settings, sink) -> {
                    for (String each : new String[] {"multicast", "tcp", "qos", "security", "flood", "badinput", "stall", "crash"}) {
                        try {
                            byName(each).run(settings, sink);
                        } catch (SkippedException e) { // one machine limit does not cancel the others
                            System.err.println("SKIPPED " + each + ": " + e.getMessage());
                        }
                    }
                };
            case "qos":
                return new QosBenchmark();
            case "security":
                return new Refusals();
            case "flood":
                return new FloodBenchmark();
            case "badinput":
                return new BadInputBenchmark();
            case "stall":
                return new StallBenchmark();
            case "crash":
                return new CrashBenchmark();
            default:
                return null;
        }
    }
}
