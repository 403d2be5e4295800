package org.joinleaf.bench.tcp;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The context switches of every live thread of this JVM (Linux: {@code /proc/self/task/<tid>/status}). A voluntary
 * switch is a thread going to sleep to wait, so per join it counts the thread hand-offs of the join path, a figure
 * that stays put on a loaded machine where the wall-clock latency does not. -1 where there is no /proc.
 */
final class ContextSwitches {
    private static final Path TASKS = Path.of("/proc/self/task");

    private ContextSwitches() {
    }

    /** The calling thread's voluntary context switches (for a thread that ends before the sum is taken), or 0. */
    static long ofThisThread() {
        return voluntaryOf(Path.of("/proc/thread-self/status"));
    }

    /** Voluntary context switches summed over the live threads, or -1. */
    static long voluntary() {
        if (!Files.isDirectory(TASKS)) {
            return -1;
        }
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                sum += voluntaryOf(task.resolve("status"));
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }

    private static long voluntaryOf(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the thread ended meanwhile
        }
        return 0;
    }
}
