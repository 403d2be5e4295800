package org.joinleaf.gateway.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one attack did to the gateway, and the pass criteria of issue 11 item 7 checked against it: the gateway up
 * and its shell answering; heap (after collection) and direct memory under 90 % of their limits; every legitimate
 * leaf still joined with every message in order (relay case: at least 0.9x the root's rate); legitimate joins p99
 * at most 200 ms; threads, fds, heap and direct memory back near the baseline within 5 s.
 *
 * <p>The join-latency target is a timed criterion: like every other time target of the scorecard it is a benchmark
 * verdict ({@code ./bench/run.sh hostile}, property {@code joinleaf.hostile.timed=true}), while the build's short
 * variant reports the p99 in its table and asserts everything else.
 */
final class CaseResult {
    static final double MEMORY_LIMIT_PERCENT = 90;
    static final long JOIN_P99_MILLIS = 200;
    /** Whether the join-latency target decides the verdict (the benchmark mode) or is only reported (the build). */
    static final boolean TIMED_DEFAULT = Boolean.getBoolean("joinleaf.hostile.timed");
    static final double RELAY_RATE = 0.9;
    /** Every log line a peer can trigger is rate-limited per kind (item 3): a handful of warnings per second at most. */
    static final int LOG_LINES_BASE = 20;
    static final int LOG_LINES_PER_SECOND = 5;
    private static final Pattern SENT = Pattern.compile("sent=(\\d+)");

    final String attack;
    final int seconds;
    final Sample baseline;
    final List<Sample> samples = new ArrayList<>();
    final List<String> shellProblems = new ArrayList<>();
    final List<String> extra = new ArrayList<>();
    final List<String> leafProblems = new ArrayList<>();
    String leafFigures = "";
    Sample afterRecovery;
    long recovery = -1;
    long joinsP99 = -1;
    String joins = "";
    int logLines;
    /** Probes run through the shell (the others are the target's monitor lines). */
    int shellProbes;
    boolean alive;
    String rootStats = "";
    String attackFigures = "";
    boolean timed = TIMED_DEFAULT;
    /** The relay case judges the leaves by rate, every other case by completeness. */
    boolean byRate;

    CaseResult(String attack, int seconds, Sample baseline) {
        this.attack = attack;
        this.seconds = seconds;
        this.baseline = baseline;
    }

    static long sent(String stats) {
        Matcher m = SENT.matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** A legitimate leaf as the criteria see it: why it ended (null: joined still), gaps, last number, receipts. */
    record Leaf(String source, String ended, long disorder, long lastSeq, long duringAttack) {
    }

    /** Judges the legitimate leaves: joined still, in order, complete (or, by rate, 0.9x the root's rate). */
    void leaves(List<Leaf> leaves, long sentDuringAttack, long sentEnd) {
        StringBuilder f = new StringBuilder();
        for (Leaf l : leaves) {
            f.append(f.length() == 0 ? "" : ", ").append(l.source() + " " + l.duringAttack() + "/"
                    + (sentDuringAttack < 0 ? "?" : sentDuringAttack)); // ?: the root's shell did not answer
            if (l.ended() != null) {
                leafProblems.add(l.source() + " cut: " + l.ended());
            }
            if (l.disorder() > 0) {
                leafProblems.add(l.source() + " " + l.disorder() + " gaps or reorderings");
            }
            if (byRate) {
                if (sentDuringAttack > 0 && l.duringAttack() < RELAY_RATE * sentDuringAttack) {
                    leafProblems.add(l.source() + " received " + l.duringAttack() + " of " + sentDuringAttack
                            + " (< 0.9x)");
                }
            } else if (l.ended() == null && l.lastSeq() < sentEnd - 1) {
                leafProblems.add(l.source() + " last message " + l.lastSeq() + " of " + (sentEnd - 1));
            }
        }
        leafFigures = f.toString();
    }

    double peakHeapPercent() {
        return samples.stream().mapToDouble(Sample::heapPercent).max().orElse(Double.NaN);
    }

    double peakDirectPercent() {
        return samples.stream().mapToDouble(Sample::directPercent).max().orElse(Double.NaN);
    }

    /** Every criterion that failed, in words; empty when the case passed. */
    List<String> violations() {
        List<String> v = new ArrayList<>();
        if (!alive) {
            v.add("the gateway process exited");
        }
        if (!shellProblems.isEmpty()) {
            v.add(shellProblems.size() + " probes unanswered or failed, first: " + shellProblems.get(0));
        }
        if (samples.isEmpty()) {
            v.add("no probe answered during the attack");
        }
        if (!(peakHeapPercent() < MEMORY_LIMIT_PERCENT)) {
            v.add(String.format("peak heap %.1f %% of its limit", peakHeapPercent()));
        }
        if (!(peakDirectPercent() < MEMORY_LIMIT_PERCENT)) {
            v.add(String.format("peak direct memory %.1f %% of its limit", peakDirectPercent()));
        }
        v.addAll(leafProblems);
        if (joinsP99 < 0) {
            v.add("no legitimate join finished during the attack (" + joins + ")");
        } else if (timed && joinsP99 > JOIN_P99_MILLIS) {
            v.add("legitimate joins p99 " + p99() + " (" + joins + ")");
        }
        if (recovery < 0) {
            v.add("no return to baseline within " + HostileRig.RECOVERY_MILLIS + " ms: " + baseline + " -> "
                    + afterRecovery);
        }
        if (logLines > LOG_LINES_BASE + LOG_LINES_PER_SECOND * seconds) {
            v.add(logLines + " gateway warning/error lines in " + seconds + " s of attack");
        }
        v.addAll(extra);
        return v;
    }

    private String p99() {
        return joinsP99 == Long.MAX_VALUE ? "failed" : joinsP99 < 0 ? "none" : joinsP99 + " ms";
    }

    /** One row of the report table. */
    String row() {
        List<String> v = violations();
        return String.format("| %s | %s | %d s | %.0f %% | %.0f %% | %s | %s | %s | %s | %d | %s |", attack,
                v.isEmpty() ? "pass" : "FAIL", seconds, peakHeapPercent(), peakDirectPercent(), leafFigures, p99(),
                recovery < 0 ? "no" : recovery + " ms", (shellProbes - shellProblems.size()) + "/" + shellProbes,
                logLines, v.isEmpty() ? "" : String.join("; ", v).replace('|', '/'));
    }

    static String header() {
        return "| attack | verdict | attack time | peak heap | peak direct | legit leaves: root msgs received/sent "
                + "during attack | join p99 | recovery | shell probes answered | gateway warn/error lines | failed criteria |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|";
    }

    String details() {
        return "### " + attack + "\n\n- baseline: " + baseline + "\n- after recovery: " + afterRecovery
                + "\n- joins: " + joins + "\n- root: " + rootStats + "\n- attack: " + attackFigures + "\n";
    }
}
