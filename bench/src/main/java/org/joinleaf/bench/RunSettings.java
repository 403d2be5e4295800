package org.joinleaf.bench;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Bounds and shape of a run, from system properties (defaults in brackets): {@code bench.messages} [200000] and
 * {@code bench.sendSeconds} [10] bound each sender loop, whichever ends first; {@code bench.drainMillis} [3000]
 * bounds the wait for stragglers after the sender stopped, which ends earlier once {@code bench.quietMillis} [250]
 * pass without a delivery; {@code bench.warmupMessages} [50000] per variant are sent first and discarded;
 * {@code bench.receivers} [1,10,100] and {@code bench.sizes} [64,1024] are the fan-outs and message sizes measured.
 */
public record RunSettings(int messages, long sendMillis, long drainMillis, long quietMillis, int warmupMessages,
                          List<Integer> receivers, List<Integer> messageSizes) {

    public static RunSettings fromSystemProperties() {
        return new RunSettings(Integer.getInteger("bench.messages", 200_000),
                Long.getLong("bench.sendSeconds", 10) * 1000,
                Long.getLong("bench.drainMillis", 3000),
                Long.getLong("bench.quietMillis", 250),
                Integer.getInteger("bench.warmupMessages", 50_000),
                ints(System.getProperty("bench.receivers", "1,10,100")),
                ints(System.getProperty("bench.sizes", "64,1024")));
    }

    private static List<Integer> ints(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).map(Integer::valueOf)
                .collect(Collectors.toUnmodifiableList());
    }
}
