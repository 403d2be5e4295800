package org.joinleaf.gateway;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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
 * The gateway's one log route: every OSGi Log Service entry (SCR's own messages, FileInstall's and the JDK loggers'
 * through {@link JulToLogService} included) printed on standard output, one line each, and, when {@code file} is
 * set, written to a log file that rotates at {@code fileMaxBytes} keeping {@code fileCount} files (issue 15 item 5).
 * Which entries exist at all is the Log Service's business (framework property
 * {@code org.osgi.service.log.admin.loglevel}, PID {@code org.osgi.service.log.admin}); this component only decides
 * the lowest level it prints. The Log Service starts first (start level 1, gateway.bndrun) and keeps a history this
 * route replays when it starts, so the lines from before it are not lost.
 */
@Component(immediate = true, configurationPid = ConsoleLog.PID)
@Designate(ocd = ConsoleLog.Config.class)
public final class ConsoleLog implements LogListener {
    static final String PID = "org.joinleaf.gateway.log";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** Settings of the console log route. */
    @ObjectClassDefinition(name = "joinleaf gateway log",
            description = "Prints OSGi Log Service entries on standard output and, optionally, to a rotating file.")
    public @interface Config {
        @AttributeDefinition(name = "Lowest level printed",
                description = "Entries below this level are not printed (they stay in the Log Service).")
        LogLevel level() default LogLevel.INFO;

        @AttributeDefinition(name = "Print framework events",
                description = "Also print the Log Service's own records of bundle, service and framework events "
                        + "(loggers Events.*), which are many and mostly routine.")
        boolean frameworkEvents() default false;

        @AttributeDefinition(name = "Log file", required = false, description = "Also write every printed line to"
                + " this file (relative to the working directory; folders are made). Empty: standard output only."
                + " A service writes under data/, e.g. data/log/gateway.log.")
        String file() default "";

        @AttributeDefinition(name = "Largest log file (bytes)", min = "4096", description = "Before a line would"
                + " pass this size, the file becomes <file>.1 (.1 becomes .2 ...) and a new file starts.")
        long fileMaxBytes() default 10485760;

        @AttributeDefinition(name = "Log files kept", min = "1", max = "100",
                description = "Files kept, the current one included; the oldest beyond is deleted.")
        int fileCount() default 5;
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
    /** The log file, or null; guarded by printLock. */
    private RotatingFile file;
    /** Set after a failed write, so a full disk is reported once, not once per line; guarded by printLock. */
    private boolean fileFailing;
    /** The file's size and count settings ({@link #settingsOf}); a change reopens it. Guarded by printLock. */
    private long fileSettings;

    @Activate
    public ConsoleLog(BundleContext context, @Reference LogReaderService reader, Config config) {
        this.reader = reader;
        this.gatewayBundle = context.getBundle();
        this.level = config.level();
        this.frameworkEvents = config.frameworkEvents();
        synchronized (printLock) {
            openFile(config);
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
            boolean reopen = file == null ? !config.file().isBlank()
                    : !file.path().equals(resolve(config.file())) || fileSettings != settingsOf(config);
            String text = TIME.format(Instant.now()) + " INFO  [org.joinleaf.gateway] console log level " + level
                    + " (was " + previous + "), framework events " + (frameworkEvents ? "shown" : "hidden")
                    + (config.file().isBlank() ? ", no log file" : ", log file " + resolve(config.file()) + " ("
                    + config.fileMaxBytes() + " bytes, " + config.fileCount() + " files)") + ", PID " + PID;
            line(text); // the old file, if any, ends with why
            if (reopen) {
                closeFile();
                openFile(config);
                toFile(text); // and the new one starts with it
            }
        }
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
        synchronized (printLock) {
            closeFile();
        }
    }

    private static long settingsOf(Config config) {
        return config.fileMaxBytes() * 1000 + config.fileCount();
    }

    private static Path resolve(String file) {
        return Path.of(file.trim()).toAbsolutePath();
    }

    private void openFile(Config config) {
        fileSettings = settingsOf(config);
        if (config.file().isBlank()) {
            return;
        }
        try {
            file = new RotatingFile(resolve(config.file()), Math.max(4096, config.fileMaxBytes()), config.fileCount());
            fileFailing = false;
        } catch (IOException | RuntimeException e) {
            out.println(TIME.format(Instant.now()) + " ERROR [org.joinleaf.gateway] cannot open the log file "
                    + config.file() + " (PID " + PID + ", key file): " + e + "; logging to standard output only");
        }
    }

    private void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                out.println("cannot close the log file " + file.path() + ": " + e);
            }
            file = null;
        }
    }

    /** One line to standard output and the log file; caller holds printLock. */
    private void line(String text) {
        out.println(text);
        toFile(text);
    }

    private void toFile(String text) {
        if (file == null) {
            return;
        }
        try {
            file.println(text);
            fileFailing = false;
        } catch (IOException e) {
            if (!fileFailing) {
                fileFailing = true;
                out.println(TIME.format(Instant.now()) + " ERROR [org.joinleaf.gateway] cannot write the log file "
                        + file.path() + ": " + e + "; lines go to standard output only until a write succeeds");
            }
        }
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
        line(format(entry));
        if (entry.getException() != null) {
            StringWriter trace = new StringWriter();
            entry.getException().printStackTrace(new PrintWriter(trace));
            line(trace.toString().stripTrailing());
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
