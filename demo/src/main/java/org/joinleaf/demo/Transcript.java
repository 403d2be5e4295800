package org.joinleaf.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What the demo prints, for a person: numbered steps, one aligned line per Winsock event or call as it happens (time
 * since the demo began, who, what, the Winsock code and a detail), and checks that end in a summary table. Lines are
 * printed whole (one {@code println} each) because the role threads print concurrently.
 */
final class Transcript {
    /** The summary's last line when every check passed; demo.sh and the process test look for it. */
    static final String PASSED = "demo passed";
    static final String FAILED = "demo FAILED";

    private record Check(String what, String result, boolean ok) {
    }

    private final PrintStream out;
    private final LongSupplier nanoTime;
    private final long start;
    private final List<Check> checks = new ArrayList<>();

    Transcript(PrintStream out, LongSupplier nanoTime) {
        this.out = out;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
    }

    /** A step heading: {@code == 2. install provider.tcp at run time}. */
    void step(int number, String title) {
        print("");
        print("== " + number + ". " + title);
    }

    /** One event or call: {@code +0.412s  leaf2   FD_CONNECT   NO_ERROR (0)         callee data "welcome leaf2"}. */
    void event(String who, String what, String code, String detail) {
        print(String.format("  %s  %-6s  %-26s  %-22s  %s", elapsed(), who, what, code, detail).stripTrailing());
    }

    /** A line of explanation under the current step. */
    void note(String text) {
        print("            " + text);
    }

    /** Records one expectation; the failures also print at once so they are seen where they happen. */
    synchronized boolean check(String what, boolean ok, String result) {
        checks.add(new Check(what, result, ok));
        if (!ok) {
            print("  !! " + what + ": " + result);
        }
        return ok;
    }

    synchronized boolean passed() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
    }

    /** The aligned summary: one row per check, then {@link #PASSED} or {@link #FAILED} with the run time. */
    synchronized void summary() {
        int width = checks.stream().mapToInt(c -> c.what().length()).max().orElse(0);
        print("");
        print("== summary");
        for (Check c : checks) {
            print(String.format("  %-4s  %-" + width + "s  %s", c.ok() ? "ok" : "FAIL", c.what(), c.result()));
        }
        long failed = checks.stream().filter(c -> !c.ok()).count();
        print((passed() ? PASSED : FAILED + " (" + failed + " of " + checks.size() + " checks)") + " in "
                + seconds(nanoTime.getAsLong() - start));
    }

    private String elapsed() {
        return String.format("%8s", "+" + seconds(nanoTime.getAsLong() - start));
    }

    private static String seconds(long nanos) {
        return String.format("%.3fs", nanos / (double) TimeUnit.SECONDS.toNanos(1));
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
        }
    }
}
