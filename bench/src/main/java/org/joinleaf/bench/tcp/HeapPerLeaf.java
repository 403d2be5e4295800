package org.joinleaf.bench.tcp;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKET;
import org.joinleaf.bench.Measurement;

/**
 * Heap per joined idle leaf, root side only: this JVM holds a listening c_root and keeps every accepted c_leaf;
 * the leaves join from a second JVM ({@link LeafProcess}) started with the same class path. Used heap after full
 * GCs before the joins and after them, divided by the number of leaves. The root's file descriptors (one per leaf)
 * bound N: it is lowered, and the note says so, when the descriptor limit is too small.
 */
final class HeapPerLeaf {
    /** Descriptors kept free for everything else the root JVM has open. */
    private static final long SPARE_DESCRIPTORS = 512;
    private static final int LEAF_THREADS = 8;

    private HeapPerLeaf() {
    }

    static Measurement measure(int wanted) throws IOException, InterruptedException {
        long fdLimit = descriptorLimit();
        int leaves = fdLimit < 0 ? wanted : (int) Math.min(wanted, fdLimit - SPARE_DESCRIPTORS);
        try (TcpStack stack = TcpStack.forJoins()) {
            SOCKET root = stack.listeningRoot();
            int port = stack.localAddress(root).toInetSocketAddress().getPort();
            try (Acceptor acceptor = Acceptor.start(stack, root, leaves, true)) {
                long before = usedHeapAfterGc();
                Process child = startLeaves(port, leaves, LEAF_THREADS);
                try {
                    long start = System.nanoTime();
                    acceptor.await(TimeUnit.SECONDS.toMillis(300));
                    BufferedReader out = new BufferedReader(
                            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                    String line = out.readLine(); // the child prints right after its last join returned
                    if (line == null || !line.equals("joined " + leaves)) {
                        throw new IOException("the leaf JVM reported " + line);
                    }
                    long end = System.nanoTime();
                    long after = usedHeapAfterGc();
                    String notes = String.format(Locale.ROOT, "root_bytes_per_leaf=%d;heap_used_before_mb=%.1f;"
                                    + "heap_used_after_mb=%.1f;xmx_mb=%d;leaves_in=second_jvm;fd_limit=%d;"
                                    + "root_sockets=%d%s", (after - before) / leaves, before / 1048576.0,
                            after / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576, fdLimit, stack.sockets(),
                            leaves < wanted ? ";lowered_from=" + wanted + "_by_fd_limit" : "");
                    // sent 1 "join invitation" per leaf, so loss_pct shows leaves that failed to join
                    return new Measurement("tcp", "heap-per-leaf", leaves, 0, 1, acceptor.accepted(), end - start,
                            notes);
                } finally {
                    stopLeaves(child);
                }
            }
        }
    }

    /** A second JVM ({@link LeafProcess}) joining {@code leaves} leaves to 127.0.0.1:{@code port}. */
    static Process startLeaves(int port, int leaves, int threads) throws IOException {
        return ChildJvm.start(LeafProcess.class, "127.0.0.1", Integer.toString(port), Integer.toString(leaves),
                Integer.toString(threads));
    }

    /** Closing its stdin ends the leaf JVM; it closes its leaves and stops its provider within a few seconds. */
    private static void stopLeaves(Process child) throws InterruptedException {
        try {
            child.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!child.waitFor(15, TimeUnit.SECONDS)) {
            System.err.println("WARNING: the leaf JVM did not exit within 15 s; killing it");
            child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc(); // a full collection with the parallel collector run.sh selects
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The process's open-file limit (ulimit -n), or -1 where the JVM cannot tell. */
    static long descriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean ? ((UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount()
                : -1;
    }
}
