package org.joinleaf.spi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.Test;

/**
 * Issue 11 item 3 (every log line a peer can trigger is rate-limited) and item 5 (loops never die): the one
 * counter-and-line mechanism of the providers' I/O threads.
 */
public class FailureLogTest {

    /** Keeps the lines; throws {@code OutOfMemoryError} while {@code failing} is set. */
    private static final class Lines implements System.Logger {
        final List<String> lines = new ArrayList<>();
        boolean failing;

        @Override
        public String getName() {
            return "lines";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (failing) {
                throw new OutOfMemoryError("no room for the line");
            }
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            log(level, bundle, format, (Throwable) null);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            log(level, null, msgSupplier.get(), (Throwable) null);
        }
    }

    @Test
    public void aBurstOfFailuresWritesOneLineAndCountsEveryOne() {
        Lines log = new Lines();
        FailureLog failures = new FailureLog(log, "failure(s) in the test loop", "the loop goes on", 1, TimeUnit.HOURS);
        for (int i = 0; i < 1000; i++) {
            failures.failed(new IllegalStateException("bad peer " + i));
        }
        assertEquals(1000, failures.count());
        assertEquals(List.of("1 failure(s) in the test loop, the last: java.lang.IllegalStateException: bad peer 0; "
                + "the loop goes on"), log.lines);
    }

    @Test
    public void theNextLineTellsHowManyCameSinceTheLast() {
        Lines log = new Lines();
        long[] now = {1};
        FailureLog failures = new FailureLog(log, "failure(s)", "goes on", 20, TimeUnit.MILLISECONDS, () -> now[0]);
        failures.failed(new RuntimeException("first"));
        for (int i = 0; i < 4; i++) {
            now[0] += TimeUnit.MILLISECONDS.toNanos(4);
            failures.failed(new RuntimeException("quiet " + i));
        }
        now[0] += TimeUnit.MILLISECONDS.toNanos(4);
        failures.failed(new RuntimeException("after the interval"));
        assertEquals(2, log.lines.size());
        assertTrue(log.lines.get(1), log.lines.get(1).startsWith("5 failure(s), the last: java.lang.RuntimeException: "
                + "after the interval"));
    }

    @Test
    public void aLineThatCannotBeWrittenIsToldNextTimeAndNothingThrows() {
        Lines log = new Lines();
        long[] now = {1};
        FailureLog failures = new FailureLog(log, "failure(s)", "goes on", 20, TimeUnit.MILLISECONDS, () -> now[0]);
        log.failing = true;
        failures.failed(new OutOfMemoryError("in the loop"));
        log.failing = false;
        now[0] += TimeUnit.MILLISECONDS.toNanos(20);
        failures.failed(new RuntimeException("later"));
        assertEquals(List.of("2 failure(s), the last: java.lang.RuntimeException: later; goes on"), log.lines);
        assertEquals(2, failures.count());
    }
}
