package org.joinleaf.tcp;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts the leak reports of Netty's ByteBuf leak detector (paranoid in the test JVM) by installing a listener on
 * it, so a test can fail on a leak instead of leaving a log line nobody reads. Reports arrive only after a leaked
 * buffer was garbage-collected and another buffer was tracked: {@link #collectAndCount} forces both.
 */
final class LeakWatch {
    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    static {
        try {
            // AbstractByteBuf's detector is package-private; its listener API is public.
            Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
            f.setAccessible(true);
            ((ResourceLeakDetector<?>) f.get(null)).setLeakListener((type, records) -> REPORTS.add(type + records));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LeakWatch() {
    }

    /** Makes sure the listener is installed (class initialisation) before a test starts allocating. */
    static void install() {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("run with -Dio.netty.leakDetection.level=paranoid (root pom argLine)");
        }
    }

    /** GCs, then allocates and releases tracked buffers so pending reports are delivered; returns the total. */
    static int collectAndCount() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50); // not synchronisation: gives the reference handler a moment to enqueue
            for (int j = 0; j < 64; j++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
                b.release();
            }
        }
        return REPORTS.size();
    }

    /** The reports seen so far (for failure messages). */
    static List<String> reports() {
        return List.copyOf(REPORTS);
    }
}
