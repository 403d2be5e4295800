package org.joinleaf.spi.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The lines a class logs (through {@code System.getLogger(type.getName())}, which is java.util.logging outside
 * OSGi) while {@code action} runs, at INFO and above, for tests that assert what an operator reads.
 */
public final class LogLines {
    private LogLines() {
    }

    /** The messages {@code type}'s logger wrote during {@code action}. */
    public static List<String> of(Class<?> type, ThrowingRunnable action) throws Exception {
        Logger logger = Logger.getLogger(type.getName());
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                    lines.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
        }
        return List.copyOf(lines);
    }

    /** An action that may throw. */
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
