package org.joinleaf.tcp.session;

import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The memory limits of one JVM and what the provider's memory settings default to in it. A memory setting configured
 * as {@code 0} ("derived", the Metatype default) takes its value from here, so the worst case of every cap together
 * fits the heap ({@code -Xmx}, {@link Runtime#maxMemory()}) and the direct memory ({@code -XX:MaxDirectMemorySize},
 * as Netty reads it) the provider actually runs with; an explicit value that cannot fit fails activation
 * ({@link #checkFits}).
 *
 * <p>Shares of each limit (the other half is left to the application, the runtime and Netty's own pools):
 * <table>
 * <caption>Derived defaults</caption>
 * <tr><th>setting</th><th>memory</th><th>default</th><th>32 MB / 32 MB</th><th>512 MB / 512 MB</th></tr>
 * <tr><td>maxReceivedBytes</td><td>heap</td><td>heap / 8</td><td>4 MiB</td><td>64 MiB</td></tr>
 * <tr><td>receiveQueueBytes</td><td>heap</td><td>maxReceivedBytes / 4</td><td>1 MiB</td><td>16 MiB</td></tr>
 * <tr><td>maxLeavesPerRoot</td><td>heap</td><td>heap / {@value #LINK_HEAP_SHARE} / {@value #LINK_HEAP_BYTES} B</td>
 * <td>1024</td><td>16384</td></tr>
 * <tr><td>maxQueuedBytes</td><td>direct</td><td>direct / 4</td><td>8 MiB</td><td>128 MiB</td></tr>
 * <tr><td>(not a setting) queued writes' bookkeeping</td><td>heap</td><td>heap / 8, at
 * {@value #QUEUED_WRITE_HEAP_BYTES} B per leaf per queued frame</td><td>4 MiB</td><td>64 MiB</td></tr>
 * </table>
 * {@link #worstCases} lists what the provider-wide settings can make the provider hold; {@link #checkFits} adds
 * them up. What one peer can make it hold, per setting:
 * <table>
 * <caption>Worst case per connection</caption>
 * <tr><th>setting</th><th>memory</th><th>worst case</th></tr>
 * <tr><td>writeBufferHighWaterMark (H)</td><td>direct</td><td>a leaf's outbound backlog: 2 H + one message (per
 * concurrent sender), counted from the send; within maxQueuedBytes</td></tr>
 * <tr><td>writeBufferHighWaterMark (H)</td><td>direct</td><td>one read: reads are capped at H</td></tr>
 * <tr><td>receiveQueueBytes, receiveQueueMessages</td><td>heap</td><td>a socket's queue: the bound plus one read
 * (H) per event loop, as every member of a root is paused together (decision 52); within maxReceivedBytes plus the
 * same</td></tr>
 * <tr><td>maxLeavesPerRoot</td><td>heap</td><td>{@value #LINK_HEAP_BYTES} B per link of an idle leaf</td></tr>
 * </table>
 * Frames being assembled, TLS records, queued JOINs and PONGs before admission are bounded by the admission limits
 * (maxPendingHandshakes, maxMessageSize), not here.
 *
 * @param maxHeap   the heap limit in bytes
 * @param maxDirect the direct-memory limit in bytes
 */
public record DerivedLimits(long maxHeap, long maxDirect) {
    /**
     * Root heap per joined c_leaf link, as measured by the bench's heap per idle leaf (root heap after full GC,
     * divided by N): 3.1 KB with 10,000 leaves under -Xmx512m (README), 4,090 B with 1,900 leaves under the
     * gateway's -Xmx32m -XX:MaxDirectMemorySize=32m (command in {@code HeapPerLeaf}'s bench, issue 11:
     * {@code java -Xms32m -Xmx32m -XX:MaxDirectMemorySize=32m -XX:+UseParallelGC -Dbench.tcp.joinSamples=0
     * -Dbench.tcp.joins=0 -Dbench.tcp.heapLeaves=1900 -Dbench.tcp.leaves=0 ... org.joinleaf.bench.Main tcp}).
     * What a busy link holds beyond that is bounded by the backlog and receive settings, counted separately.
     */
    public static final long LINK_HEAP_BYTES = 4096;
    /**
     * The links of one root take at most heap / this (decision 51). A quarter let the raw-JOIN flood of issue 11 fill
     * 2,048 members in 32 MB: with the framework that kept 20-22 MB live in a Serial old generation of about 21 MB,
     * a full collection every 250 ms, and a fan-out of 2,048 writes per message that kept both session loops busy.
     */
    static final int LINK_HEAP_SHARE = 8;
    /**
     * Heap per leaf per frame queued to it: a fan-out frame's bytes are one shared buffer, but each leaf's write
     * holds Netty's outbound entry (64 B), promise (48 B), duplicate (40 B), listeners (48 B), our two completion
     * lambdas (48 B) and a recycler handle (24 B), as the gateway's class histogram counts them under the raw-JOIN
     * attack of issue 11.
     */
    public static final int QUEUED_WRITE_HEAP_BYTES = 272;
    /** The queued writes' bookkeeping takes at most heap / this. */
    static final int QUEUED_WRITE_HEAP_SHARE = 8;
    /** The most leaves per root a default ever allows, however large the heap. */
    static final int MAX_DERIVED_LEAVES = 100_000;

    /** One setting's contribution to the worst case: {@code bytes} of {@code memory} ("heap" or "direct"). */
    public record WorstCase(String setting, String memory, long bytes, String formula) {
    }

    /** The limits of this JVM. */
    public static DerivedLimits ofThisJvm() {
        return from(Runtime.getRuntime().maxMemory(), PlatformDependent.maxDirectMemory());
    }

    /** The limits of a JVM with {@code maxHeap} heap and {@code maxDirect} direct memory (bytes). */
    public static DerivedLimits from(long maxHeap, long maxDirect) {
        if (maxHeap <= 0 || maxDirect <= 0) {
            throw new IllegalArgumentException("memory limits must be > 0: heap " + maxHeap + ", direct " + maxDirect);
        }
        return new DerivedLimits(maxHeap, maxDirect);
    }

    /** {@code maxReceivedBytes}: received messages queued over every socket of the provider. */
    public long maxReceivedBytes() {
        return maxHeap / 8;
    }

    /** {@code receiveQueueBytes}: received messages queued on one socket. */
    public long receiveQueueBytes() {
        return maxReceivedBytes() / 4;
    }

    /** {@code maxLeavesPerRoot}: c_leaf links of one root. */
    public int maxLeavesPerRoot() {
        return (int) Math.max(1, Math.min(MAX_DERIVED_LEAVES, maxHeap / LINK_HEAP_SHARE / LINK_HEAP_BYTES));
    }

    /** {@code maxQueuedBytes}: outbound DATA over every connection of the provider. */
    public long maxQueuedBytes() {
        return maxDirect / 4;
    }

    /**
     * The heap the bookkeeping of writes queued to leaves may take (not a setting: it follows the heap): past it a
     * root's send fails with WSAENOBUFS, as past maxQueuedBytes, and relaying leaves are not read.
     */
    public long queuedWriteHeap() {
        return maxHeap / QUEUED_WRITE_HEAP_SHARE;
    }

    /** {@code settings} with every memory setting left at 0 replaced by its value here. */
    public TcpSettings resolve(TcpSettings s) {
        long received = or(s.maxReceivedBytes(), maxReceivedBytes());
        return new TcpSettings(s.eventLoopThreads(), s.joinTimeoutMillis(), s.openingFrameTimeoutMillis(),
                s.maxConnectData(),
                s.maxMessageSize(), s.writeBufferLowWaterMark(), s.writeBufferHighWaterMark(), s.slowLeafPolicy(),
                s.slowLeafTimeoutMillis(), s.slowLeafGraceMillis(), s.heartbeatIntervalMillis(), s.heartbeatTimeoutMillis(),
                s.receiveQueueMessages(), or(s.receiveQueueBytes(), Math.min(receiveQueueBytes(), received)),
                received, s.backlog(), s.qosScope(), s.maxJoinRatePerSource(),
                s.maxPendingHandshakesPerSource(), s.maxPendingHandshakes(),
                s.maxLeavesPerRoot() == 0 ? maxLeavesPerRoot() : s.maxLeavesPerRoot(),
                or(s.maxQueuedBytes(), maxQueuedBytes()), s.tls(), s.transport());
    }

    private static long or(long configured, long derived) {
        return configured == 0 ? derived : configured;
    }

    /**
     * What each memory setting of {@code s} (resolved) can make the provider hold at worst. The receive figures
     * leave out one read per connection being read when its queue filled ({@code InboundQueue}); the outbound
     * figure bounds every leaf's backlog together (each leaf's own is at most twice the high water mark plus one
     * message).
     */
    public List<WorstCase> worstCases(TcpSettings s) {
        List<WorstCase> cases = new ArrayList<>();
        cases.add(new WorstCase("maxReceivedBytes", "heap", s.maxReceivedBytes(),
                "received messages queued over all sockets, whatever receiveQueueBytes allows each"));
        cases.add(new WorstCase("maxLeavesPerRoot", "heap", s.maxLeavesPerRoot() * LINK_HEAP_BYTES,
                "maxLeavesPerRoot x " + LINK_HEAP_BYTES + " B per c_leaf link"));
        cases.add(new WorstCase("maxQueuedBytes", "direct", s.maxQueuedBytes(),
                "outbound DATA over all connections, relays and loop queues included"));
        cases.add(new WorstCase("(heap / " + QUEUED_WRITE_HEAP_SHARE + ")", "heap", queuedWriteHeap(),
                "Netty's bookkeeping of the writes queued to leaves, " + QUEUED_WRITE_HEAP_BYTES
                        + " B per leaf per frame"));
        return cases;
    }

    /**
     * Refuses settings whose worst case passes half the heap or half the direct memory, naming the setting that
     * weighs most and its derived default here.
     *
     * @throws IllegalArgumentException when they do not fit
     */
    public void checkFits(TcpSettings s) {
        check(s, "heap", maxHeap, "-Xmx");
        check(s, "direct", maxDirect, "-XX:MaxDirectMemorySize");
    }

    private void check(TcpSettings s, String memory, long max, String flag) {
        List<WorstCase> cases = worstCases(s).stream().filter(c -> c.memory().equals(memory)).toList();
        long sum = cases.stream().mapToLong(WorstCase::bytes).sum();
        if (sum <= max / 2) {
            return;
        }
        WorstCase worst = cases.stream().max(Comparator.comparingLong(WorstCase::bytes)).orElseThrow();
        throw new IllegalArgumentException(worst.setting() + " does not fit this JVM: its worst case is "
                + worst.bytes() + " B of " + memory + " (" + worst.formula() + "), and the memory settings together "
                + "need " + sum + " B, over half the " + memory + " limit (" + max / 2 + " of " + max + " B, "
                + flag + "); lower " + worst.setting() + " (0 derives it from this JVM: " + derived(worst.setting())
                + ") or raise " + flag);
    }

    private long derived(String setting) {
        return switch (setting) {
            case "maxReceivedBytes" -> maxReceivedBytes();
            case "maxLeavesPerRoot" -> maxLeavesPerRoot();
            default -> maxQueuedBytes();
        };
    }
}
