package org.joinleaf.gateway;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The gateway's one log route: every OSGi Log Service entry (SCR's own messages included) printed on standard
 * output, one line each. Which entries exist at all is the Log Service's business (framework property
 * {@code org.osgi.service.log.admin.loglevel}, PID {@code org.osgi.service.log.admin}); this component only
 * decides the lowest level it prints.
 */
@Component(immediate = true, configurationPid = ConsoleLog.PID)
@Designate(ocd = ConsoleLog.Config.class)
public final class ConsoleLog implements LogListener {
    static final String PID = "org.joinleaf.gateway.log";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** Settings of the console log route. */
    @ObjectClassDefinition(name = "joinleaf gateway console log",
            description = "Prints OSGi Log Service entries on standard output.")
    public @interface Config {
        @AttributeDefinition(name = "Lowest level printed",
                description = "Entries below this level are not printed (they stay in the Log Service).")
        LogLevel level() default LogLevel.INFO;

        @AttributeDefinition(name = "Print framework events",
                description = "Also print the Log Service's own records of bundle, service and framework events "
                        + "(loggers Events.*), which are many and mostly routine.")
        boolean frameworkEvents() default false;
    }

    /** The Log Service records framework events under these logger names (OSGi Log Service 1.4, 101.6). */
    private static final String FRAMEWORK_EVENT_LOGGERS = "Events.";

    private final LogReaderService reader;
    private final Bundle gatewayBundle;
    private final PrintStream out = System.out;
    /** Guards printing so lines never interleave and history and live entries are printed once, in order. */
    private final Object printLock = new Object();
    private long lastPrinted = -1;
    private volatile LogLevel level;
    private volatile boolean frameworkEvents;

    @Activate
    public ConsoleLog(BundleContext context, @Reference LogReaderService reader, Config config) {
        this.reader = reader;
        this.gatewayBundle = context.getBundle();
        this.level = config.level();
        this.frameworkEvents = config.frameworkEvents();
        synchronized (printLock) {
            // Listen first, then print the history (SCR's boot messages): the lock and the sequence numbers keep
            // entries that arrive in between from being printed twice or out of order.
            reader.addLogListener(this);
            for (LogEntry entry : history()) {
                print(entry);
            }
        }
    }

    @Modified
    void modified(Config config) {
        LogLevel previous = level;
        level = config.level();
        frameworkEvents = config.frameworkEvents();
        synchronized (printLock) {
            out.println(TIME.format(Instant.now()) + " INFO  [org.joinleaf.gateway] console log level "
                    + level + " (was " + previous + "), framework events " + (frameworkEvents ? "shown" : "hidden")
                    + ", PID " + PID);
        }
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        synchronized (printLock) {
            print(entry);
        }
    }

    private List<LogEntry> history() {
        List<LogEntry> entries = new ArrayList<>(); // as long as the Log Service's own bounded history
        for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements();) {
            entries.add(e.nextElement());
        }
        Collections.reverse(entries); // the Log Service lists the newest first
        return entries;
    }

    private void print(LogEntry entry) {
        if (entry.getSequence() <= lastPrinted) {
            return;
        }
        lastPrinted = entry.getSequence();
        if (!level.implies(entry.getLogLevel())
                || !frameworkEvents && entry.getLoggerName().startsWith(FRAMEWORK_EVENT_LOGGERS)) {
            return;
        }
        out.println(format(entry));
        if (entry.getException() != null) {
            entry.getException().printStackTrace(out);
        }
    }

    /** One line; the source is the bundle, or the logger name for what the gateway logs for others (JUL). */
    private String format(LogEntry entry) {
        Bundle bundle = entry.getBundle();
        String source = bundle == null || bundle.equals(gatewayBundle)
                ? entry.getLoggerName() : bundle.getSymbolicName();
        return String.format("%s %-5s [%s] %s", TIME.format(Instant.ofEpochMilli(entry.getTime())),
                entry.getLogLevel(), source, entry.getMessage());
    }
}
