package org.joinleaf.gateway;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * The log route (issue 6 item 1, issue 15 item 5): SCR's boot messages are not lost, nothing is printed twice, and the
 * same lines go to the optional log file.
 */
public class ConsoleLogTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final List<LogEntry> history = new ArrayList<>(); // newest first, as the Log Service lists it
    private final List<LogListener> listeners = new ArrayList<>();
    private PrintStream originalOut;

    private final LogReaderService reader = Fakes.of(LogReaderService.class, (p, m, a) -> {
        switch (m.getName()) {
            case "getLog": return Collections.enumeration(history);
            case "addLogListener": return listeners.add((LogListener) a[0]);
            case "removeLogListener": return listeners.remove(a[0]);
            default: throw new UnsupportedOperationException(m.getName());
        }
    });
    private final Bundle gatewayBundle = Fakes.of(Bundle.class, (p, m, a) -> m.getName().equals("equals")
            ? p == a[0] : m.getName().equals("hashCode") ? 1 : null);
    private final BundleContext context = Fakes.of(BundleContext.class, (p, m, a) -> gatewayBundle);

    @Before
    public void captureStdout() {
        originalOut = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @After
    public void restoreStdout() {
        System.setOut(originalOut);
    }

    @Test
    public void historyIsPrintedOldestFirstAndLiveDuplicatesOnce() {
        history.add(entry(2, LogLevel.INFO, "org.apache.felix.scr", "second"));
        history.add(entry(1, LogLevel.INFO, "org.apache.felix.scr", "first"));
        ConsoleLog log = new ConsoleLog(context, reader, config(LogLevel.INFO, false));
        listeners.get(0).logged(history.get(0)); // delivered live as well: printed once
        listeners.get(0).logged(entry(3, LogLevel.WARN, "org.joinleaf.runtime", "third"));
        log.deactivate();

        List<String> lines = lines();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0), lines.get(0).endsWith("INFO  [org.apache.felix.scr] first"));
        assertTrue(lines.get(1), lines.get(1).endsWith("INFO  [org.apache.felix.scr] second"));
        assertTrue(lines.get(2), lines.get(2).endsWith("WARN  [org.joinleaf.runtime] third"));
        assertTrue("listener not removed on deactivate", listeners.isEmpty());
    }

    @Test
    public void levelAndFrameworkEventsFilterWhatIsPrinted() {
        ConsoleLog log = new ConsoleLog(context, reader, config(LogLevel.INFO, false));
        listeners.get(0).logged(entry(1, LogLevel.DEBUG, "org.joinleaf.runtime", "too fine"));
        listeners.get(0).logged(entry(2, LogLevel.INFO, "Events.Service", "ServiceEvent REGISTERED"));
        log.modified(config(LogLevel.DEBUG, true));
        listeners.get(0).logged(entry(3, LogLevel.DEBUG, "org.joinleaf.runtime", "fine now"));
        listeners.get(0).logged(entry(4, LogLevel.INFO, "Events.Service", "ServiceEvent UNREGISTERING"));

        List<String> lines = lines();
        assertEquals(lines.toString(), 3, lines.size());
        assertTrue(lines.get(0), lines.get(0).contains("console log level DEBUG (was INFO), framework events shown"));
        assertTrue(lines.get(1), lines.get(1).endsWith("fine now"));
        assertTrue(lines.get(2), lines.get(2).endsWith("[Events.Service] ServiceEvent UNREGISTERING"));
    }

    // issue 15 item 5: the route's lines, history included, also go to the configured file; a configuration change
    // opens it without a restart and an empty file setting closes it
    @Test
    public void theSameLinesGoToTheLogFileFromTheFirstOn() throws Exception {
        Path dir = Files.createTempDirectory("joinleaf-log-test");
        Path file = dir.resolve("log/gateway.log");
        try {
            history.add(entry(1, LogLevel.INFO, "org.apache.felix.fileinstall", "Creating configuration {x}"));
            ConsoleLog log = new ConsoleLog(context, reader, config(LogLevel.INFO, false, file.toString(), 4096, 2));
            listeners.get(0).logged(entry(2, LogLevel.WARN, "org.joinleaf.runtime", "live"));
            log.modified(config(LogLevel.INFO, false, "", 4096, 2));
            listeners.get(0).logged(entry(3, LogLevel.WARN, "org.joinleaf.runtime", "after the file was closed"));
            log.deactivate();

            List<String> written = Files.readAllLines(file);
            assertEquals(written.toString(), 3, written.size());
            assertTrue(written.get(0), written.get(0).endsWith("[org.apache.felix.fileinstall] Creating configuration {x}"));
            assertTrue(written.get(1), written.get(1).endsWith("WARN  [org.joinleaf.runtime] live"));
            assertTrue(written.get(2), written.get(2).contains("console log level INFO (was INFO)"));
            assertEquals("stdout has every line", 4, lines().size());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private List<String> lines() {
        String text = printed.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    /** An entry logged by the gateway bundle on behalf of {@code logger} (so the logger name is shown). */
    private LogEntry entry(long sequence, LogLevel level, String logger, String message) {
        return Fakes.of(LogEntry.class, (p, m, a) -> {
            switch (m.getName()) {
                case "getSequence": return sequence;
                case "getLogLevel": return level;
                case "getLoggerName": return logger;
                case "getMessage": return message;
                case "getTime": return 0L;
                case "getBundle": return gatewayBundle;
                default: return null;
            }
        });
    }

    private static ConsoleLog.Config config(LogLevel level, boolean frameworkEvents) {
        return config(level, frameworkEvents, "", 10485760, 5);
    }

    private static ConsoleLog.Config config(LogLevel level, boolean frameworkEvents, String file, long maxBytes,
            int count) {
        return new ConsoleLog.Config() {
            @Override public LogLevel level() { return level; }
            @Override public boolean frameworkEvents() { return frameworkEvents; }
            @Override public String file() { return file; }
            @Override public long fileMaxBytes() { return maxBytes; }
            @Override public int fileCount() { return count; }
            @Override public Class<? extends Annotation> annotationType() { return ConsoleLog.Config.class; }
        };
    }
}
