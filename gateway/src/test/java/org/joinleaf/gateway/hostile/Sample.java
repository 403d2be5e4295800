package org.joinleaf.gateway.hostile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One answer of {@code hostile:probe}: what the gateway JVM holds at that moment. Direct memory has two counters
 * with the same cap (the JDK's pool and Netty's own, see MemoryProbe); {@link #direct()} is the fuller one, since
 * either one reaching the cap is an OutOfMemoryError.
 */
record Sample(long heapUsed, long heapAfterGc, long heapMax, long directPool, long directNetty, long directMax,
              long threads, long fds) {

    /** Parses the probe line among the shell's output, or returns null when there is none (an error instead). */
    static Sample parse(List<String> output) {
        for (String line : output) {
            int at = line.indexOf("probe heapUsed=");
            if (at < 0) {
                continue;
            }
            Map<String, Long> v = new HashMap<>();
            for (String kv : line.substring(at + "probe ".length()).trim().split("\\s+")) {
                String[] p = kv.split("=");
                v.put(p[0], Long.parseLong(p[1]));
            }
            return new Sample(v.get("heapUsed"), v.get("heapAfterGc"), v.get("heapMax"), v.get("directPool"),
                    v.get("directNetty"), v.get("directMax"), v.get("threads"), v.get("fds"));
        }
        return null;
    }

    long direct() {
        return Math.max(directPool, directNetty);
    }

    double heapPercent() {
        return 100.0 * heapAfterGc / heapMax;
    }

    double directPercent() {
        return 100.0 * direct() / directMax;
    }

    @Override
    public String toString() {
        return String.format("heap %.1f/%.1f MiB after GC, direct %.1f (JDK pool) and %.1f (Netty) of %.1f MiB,"
                + " %d threads, %d fds", heapAfterGc / 1048576.0, heapMax / 1048576.0, directPool / 1048576.0,
                directNetty / 1048576.0, directMax / 1048576.0, threads, fds);
    }
}
