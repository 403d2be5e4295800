package org.joinleaf.bench;

import java.util.Locale;

/**
 * A PASS/FAIL line against a reliability.md scorecard target, printed to stderr (beside the CSV on stdout) and
 * returned as a notes fragment ({@code verdict=PASS(...)}) for the measurement's CSV line.
 */
public final class Verdict {
    private Verdict() {
    }

    /**
     * @param what     the figure, e.g. "scorecard 8: slow handshake overshoot p99"
     * @param value    the measured value
     * @param limit    the target
     * @param atMost   true: PASS when {@code value <= limit}; false: PASS when {@code value >= limit}
     * @param unit     unit of both, e.g. "ms"
     */
    public static String check(String what, double value, double limit, boolean atMost, String unit) {
        boolean pass = atMost ? value <= limit : value >= limit;
        String text = String.format(Locale.ROOT, "%s %s: %.2f %s (target %s %.2f %s)", pass ? "PASS" : "FAIL", what,
                value, unit, atMost ? "<=" : ">=", limit, unit);
        System.err.println(text);
        return String.format(Locale.ROOT, "verdict=%s(%.2f%s%s%.2f)", pass ? "PASS" : "FAIL", value, unit,
                atMost ? "<=" : ">=", limit);
    }
}
