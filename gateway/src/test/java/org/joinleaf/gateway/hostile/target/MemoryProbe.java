package org.joinleaf.gateway.hostile.target;

import java.io.File;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * What the gateway holds, read from inside its JVM: heap used now and after the latest collection (the retained
 * part; with SerialGC "used now" includes garbage not yet collected), direct memory (the JDK's direct buffer pool
 * and Netty's own counter for buffers it allocates without a Cleaner), threads and open descriptors.
 */
final class MemoryProbe {
    private MemoryProbe() {
    }

    /** One line: {@code probe heapUsed=.. heapAfterGc=.. heapMax=.. directPool=.. directNetty=.. directMax=.. ...}. */
    static String line(boolean collectFirst) {
        if (collectFirst) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        return "probe heapUsed=" + heapUsed + " heapAfterGc=" + heapAfterLastGc(heapUsed) + " heapMax=" + rt.maxMemory()
                + " directPool=" + directPool() + " directNetty=" + netty("usedDirectMemory") + " directMax=" + directMax()
                + " threads="
                + ManagementFactory.getThreadMXBean().getThreadCount() + " fds=" + openFds();
    }

    /** Heap after the most recent collection (young or full), over the heap pools; {@code now} before any GC. */
    private static long heapAfterLastGc(long now) {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        long latestEnd = -1;
        long used = now;
        try {
            for (ObjectName gc : server.queryNames(new ObjectName("java.lang:type=GarbageCollector,*"), null)) {
                CompositeData info = (CompositeData) server.getAttribute(gc, "LastGcInfo");
                if (info == null || (Long) info.get("endTime") <= latestEnd) {
                    continue;
                }
                latestEnd = (Long) info.get("endTime");
                long sum = 0;
                for (Object row : ((TabularData) info.get("memoryUsageAfterGc")).values()) {
                    CompositeData entry = (CompositeData) row;
                    if (heapPools.contains((String) entry.get("key"))) {
                        sum += (Long) ((CompositeData) entry.get("value")).get("used");
                    }
                }
                used = sum;
            }
        } catch (Exception | Error e) { // under OOM a probe answers what it can
            return now;
        }
        return used;
    }

    /**
     * The JDK's direct buffers (ByteBuffer.allocateDirect, capped by -XX:MaxDirectMemorySize). Netty's buffers without
     * a Cleaner are not in it: Netty counts them itself against the same limit ({@code directNetty}, -1 when it
     * does not), so either counter can reach the cap on its own.
     */
    private static long directPool() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    private static long directMax() {
        long netty = netty("maxDirectMemory");
        if (netty > 0) {
            return netty;
        }
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:MaxDirectMemorySize=")) {
                return parseSize(arg.substring(arg.indexOf('=') + 1));
            }
        }
        return Runtime.getRuntime().maxMemory(); // the JDK's default limit
    }

    private static long parseSize(String s) {
        char unit = Character.toLowerCase(s.charAt(s.length() - 1));
        int shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : 0;
        return Long.parseLong(shift == 0 ? s : s.substring(0, s.length() - 1)) << shift;
    }

    /** A static long of Netty's PlatformDependent (dynamically imported), or -1 when Netty is not there. */
    private static long netty(String method) {
        try {
            Class<?> pd = Class.forName("io.netty.util.internal.PlatformDependent", true,
                    MemoryProbe.class.getClassLoader());
            Method m = pd.getMethod(method);
            return (Long) m.invoke(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return -1;
        }
    }

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
