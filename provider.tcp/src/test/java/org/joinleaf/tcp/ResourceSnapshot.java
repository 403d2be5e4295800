package org.joinleaf.tcp;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.File;
import java.lang.management.ManagementFactory;
import org.joinleaf.tcp.session.TcpTransport;

/**
 * Process resources a soak test compares before and after: event-loop threads, fds, heap after GC, and the memory
 * the default buffer allocator holds (pooled: it keeps chunks for reuse, so it must stop growing, not drop to 0).
 */
record ResourceSnapshot(int providerThreads, int openFds, long heapAfterGc, long pooledDirect, long pooledHeap) {

    static ResourceSnapshot take() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20); // lets finalisation of closed sockets settle; measurements only
        }
        int threads = (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(TcpTransport.THREAD_PREFIX)).count();
        String[] fds = new File("/proc/self/fd").list();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        // the allocator every channel uses (Netty 4.2: the adaptive one), not PooledByteBufAllocator.DEFAULT
        var metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        return new ResourceSnapshot(threads, fds == null ? -1 : fds.length, heap, metric.usedDirectMemory(),
                metric.usedHeapMemory());
    }

    @Override
    public String toString() {
        return String.format("threads=%d fds=%d heapAfterGc=%.1fMB pooledDirect=%.1fMB pooledHeap=%.1fMB",
                providerThreads, openFds, heapAfterGc / 1e6, pooledDirect / 1e6, pooledHeap / 1e6);
    }
}
