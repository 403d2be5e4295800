package org.joinleaf.gateway;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Sends {@code java.util.logging} records, and so {@link System.Logger} output (the joinleaf runtime) and Netty's
 * logging, into the OSGi Log Service, so the gateway has one log route: the Log Service, printed by
 * {@link ConsoleLog}. The JDK's own root handlers (stderr) are taken out while this component is active and put
 * back when it deactivates. The record's logger name becomes the OSGi logger name.
 */
@Component(immediate = true)
public final class JulToLogService extends Handler {
    private final LoggerFactory loggers;
    private final java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    private final Handler[] replaced;
    /** Only formats messages ({@code {0}} parameters, resource bundles); the Log Service adds time and level. */
    private final SimpleFormatter messages = new SimpleFormatter();

    @Activate
    public JulToLogService(@Reference LoggerFactory loggers) {
        this.loggers = loggers;
        this.replaced = root.getHandlers();
        for (Handler h : replaced) {
            root.removeHandler(h);
        }
        root.addHandler(this);
    }

    @Deactivate
    void deactivate() {
        root.removeHandler(this);
        for (Handler h : replaced) {
            root.addHandler(h);
        }
    }

    @Override
    public void publish(LogRecord record) {
        String name = record.getLoggerName() == null ? "java.util.logging" : record.getLoggerName();
        Logger logger = loggers.getLogger(name);
        String message = messages.formatMessage(record);
        Throwable thrown = record.getThrown();
        int level = record.getLevel().intValue();
        // "{}" as the format keeps braces in the message literal; a trailing Throwable argument is the exception.
        if (level >= Level.SEVERE.intValue()) {
            logger.error("{}", message, thrown);
        } else if (level >= Level.WARNING.intValue()) {
            logger.warn("{}", message, thrown);
        } else if (level >= Level.INFO.intValue()) {
            logger.info("{}", message, thrown);
        } else if (level >= Level.FINE.intValue()) {
            logger.debug("{}", message, thrown);
        } else {
            logger.trace("{}", message, thrown);
        }
    }

    @Override
    public void flush() {
        // the Log Service keeps nothing to flush
    }

    @Override
    public void close() {
        // nothing held; deactivate() detaches this handler
    }
}
