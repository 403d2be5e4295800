package org.joinleaf.bench.tcp;

import static org.joinleaf.api.Winsock2.JL_BOTH;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.bench.Measurement;

/**
 * Leaf-initiated joins over 127.0.0.1: blocking {@code WSAJoinLeaf} with 16 bytes of caller data into a listening
 * c_root whose {@link Acceptor} answers 16 bytes of callee data. After each join the leaf closes its socket and the
 * root closes its c_leaf, so descriptors and ports do not pile up; the close is outside the timed latency but
 * inside the joins-per-second loop.
 */
final class Joins {
    /** Bound on joining a whole population of leaves. */
    private static final long JOIN_MANY_SECONDS = 300;
    private static final byte[] CALLER = "caller-16-bytes!".getBytes(StandardCharsets.US_ASCII);

    private Joins() {
    }

    /** One thread joins {@code warmup} (discarded) then {@code samples} times in a row; p50/p99 of the calls. */
    static Measurement latency(int warmup, int samples) throws IOException, InterruptedException {
        try (TcpStack stack = TcpStack.forJoins()) {
            SOCKET root = stack.listeningRoot();
            SOCKADDR address = stack.localAddress(root);
            long[] nanos = new long[samples];
            long cpu0 = 0;
            long switches0 = 0;
            try (Acceptor acceptor = Acceptor.start(stack, root, warmup + samples, false)) {
                for (int i = 0; i < warmup + samples; i++) {
                    if (i == warmup) {
                        cpu0 = FanoutTrial.processCpuNanos();
                        switches0 = ContextSwitches.voluntary();
                    }
                    long t = joinAndClose(stack, address);
                    if (i >= warmup) {
                        nanos[i - warmup] = t;
                    }
                }
                acceptor.await(TimeUnit.SECONDS.toMillis(10));
            }
            double cpuPerJoin = (FanoutTrial.processCpuNanos() - cpu0) / 1e3 / samples;
            long switches = ContextSwitches.voluntary();
            double switchesPerJoin = switches < 0 || switches0 < 0 ? -1 : (double) (switches - switches0) / samples;
            long total = Arrays.stream(nanos).sum();
            Arrays.sort(nanos);
            // CPU and thread sleeps per join (join, both closes) hold still on a loaded machine; the latency does not
            String notes = String.format(Locale.ROOT,
                    "p50_us=%.1f;p99_us=%.1f;max_us=%.1f;mean_us=%.1f;cpu_us_per_join=%.1f;"
                            + "voluntary_switches_per_join=%.1f;warmup=%d;caller_bytes=16;callee_bytes=16;"
                            + "after_each_join=both_sides_closed", percentile(nanos, 50) / 1e3,
                    percentile(nanos, 99) / 1e3, nanos[samples - 1] / 1e3, total / 1e3 / samples, cpuPerJoin,
                    switchesPerJoin, warmup);
            return new Measurement("tcp", "join-latency", 1, CALLER.length, samples, samples, total, notes);
        }
    }

    /**
     * {@code threads} leaf threads join and close in a loop until {@code joins} joins or {@code millis} passed,
     * whichever comes first; {@code acceptThreads} root threads accept them (decision 39).
     */
    static Measurement rate(int threads, int acceptThreads, int joins, long millis)
            throws IOException, InterruptedException {
        try (TcpStack stack = TcpStack.forJoins()) {
            SOCKET root = stack.listeningRoot();
            SOCKADDR address = stack.localAddress(root);
            AtomicInteger started = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            AtomicReference<IOException> failure = new AtomicReference<>();
            long cpu0 = FanoutTrial.processCpuNanos();
            long switches0 = ContextSwitches.voluntary();
            AtomicLong endedLeafSwitches = new AtomicLong();
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(millis);
            List<Thread> leaves = new ArrayList<>();
            // The acceptor expects every join that may start; the leaf threads stop claiming at the deadline.
            try (Acceptor acceptor = Acceptor.start(stack, root, joins, false, acceptThreads)) {
                for (int t = 0; t < threads; t++) {
                    Thread leaf = new Thread(() -> {
                        try {
                            while (failure.get() == null && System.nanoTime() - deadline < 0
                                    && started.incrementAndGet() <= joins) {
                                joinAndClose(stack, address);
                                done.incrementAndGet();
                            }
                        } catch (IOException e) {
                            failure.compareAndSet(null, e);
                        }
                        endedLeafSwitches.addAndGet(ContextSwitches.ofThisThread()); // gone from the live sum
                    }, "bench-tcp-leaf-" + t);
                    leaf.setDaemon(true);
                    leaf.start();
                    leaves.add(leaf);
                }
                for (Thread leaf : leaves) {
                    leaf.join(millis + TimeUnit.SECONDS.toMillis(10));
                }
                long end = System.nanoTime();
                if (failure.get() != null) {
                    throw failure.get();
                }
                int attempted = Math.min(started.get(), joins);
                // what bounds the rate on a machine of few cores: the CPU and thread sleeps each join costs
                int n = Math.max(1, done.get());
                long switches = ContextSwitches.voluntary() + endedLeafSwitches.get();
                String notes = String.format(Locale.ROOT, "leaf_threads=%d;root_accept_threads=%d;stopped_by=%s;"
                                + "cpu_us_per_join=%.1f;voluntary_switches_per_join=%.1f;"
                                + "caller_bytes=16;callee_bytes=16;each_join=closed_by_both_sides_in_loop", threads,
                        acceptThreads, done.get() < joins ? "time" : "count",
                        (FanoutTrial.processCpuNanos() - cpu0) / 1e3 / n,
                        switches < 0 || switches0 < 0 ? -1 : (double) (switches - switches0) / n);
                return new Measurement("tcp", "join-rate", 1, CALLER.length, attempted, done.get(), end - start,
                        notes);
            }
        }
    }

    /**
     * Joins {@code n} new leaves to {@code root} from {@code threads} threads (blocking joins, 16 B caller data,
     * {@code direction} as the leaf's JL flag) and returns them, in no particular order. An accept thread must be
     * admitting them.
     */
    static List<SOCKET> joinMany(TcpStack stack, SOCKADDR root, int n, int threads, int direction)
            throws IOException, InterruptedException {
        List<SOCKET> joined = java.util.Collections.synchronizedList(new ArrayList<>(n));
        AtomicInteger claimed = new AtomicInteger();
        AtomicReference<IOException> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < Math.min(n, threads); t++) {
            Thread w = new Thread(() -> {
                try {
                    while (failure.get() == null && claimed.incrementAndGet() <= n) {
                        joined.add(join(stack, root, direction));
                    }
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-tcp-joiner-" + t);
            w.setDaemon(true);
            w.start();
            workers.add(w);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOIN_MANY_SECONDS);
        for (Thread w : workers) {
            w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        if (joined.size() < n) {
            throw new IOException("only " + joined.size() + " of " + n + " leaves joined within "
                    + JOIN_MANY_SECONDS + " s");
        }
        return new ArrayList<>(joined);
    }

    /** A new leaf joined with a blocking WSAJoinLeaf; its socket is closed again if the join fails. */
    private static SOCKET join(TcpStack stack, SOCKADDR root, int direction) throws IOException {
        SOCKET leaf = stack.leafSocket();
        WSABUF callee = WSABUF.allocate(Acceptor.CALLEE_BYTES);
        if (SOCKET.INVALID_SOCKET.equals(stack.ws.WSAJoinLeaf(leaf, root, root.size(), WSABUF.of(CALLER), callee,
                null, null, direction))) {
            IOException e = stack.failure("WSAJoinLeaf");
            stack.ws.closesocket(leaf);
            throw e;
        }
        return leaf;
    }

    /** One blocking join with 16 B caller data, checked; returns the nanoseconds the WSAJoinLeaf call took. */
    private static long joinAndClose(TcpStack stack, SOCKADDR root) throws IOException {
        SOCKET leaf = stack.leafSocket();
        WSABUF callee = WSABUF.allocate(Acceptor.CALLEE_BYTES);
        long t0 = System.nanoTime();
        SOCKET joined = stack.ws.WSAJoinLeaf(leaf, root, root.size(), WSABUF.of(CALLER), callee, null, null, JL_BOTH);
        long t = System.nanoTime() - t0;
        if (SOCKET.INVALID_SOCKET.equals(joined)) {
            IOException e = stack.failure("WSAJoinLeaf");
            stack.ws.closesocket(leaf);
            throw e;
        }
        if (callee.len != Acceptor.CALLEE_BYTES) {
            throw new IOException("callee data of " + callee.len + " bytes, expected " + Acceptor.CALLEE_BYTES);
        }
        stack.check(stack.ws.closesocket(leaf), "closesocket(leaf)");
        return t;
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
