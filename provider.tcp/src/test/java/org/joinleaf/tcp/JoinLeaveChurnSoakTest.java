package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.CF_ACCEPT;
import static org.joinleaf.api.Winsock2.CF_REJECT;
import static org.joinleaf.api.Winsock2.IPPROTO_TCP;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.MAKEWORD;
import static org.joinleaf.api.Winsock2.SOCK_STREAM;
import static org.joinleaf.api.Winsock2.WSAECONNREFUSED;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.Winsock2;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Join/leave churn through the real runtime (reliability.md scorecard 1): blocking {@code WSAJoinLeaf} against
 * {@code WSAAccept} whose condition function refuses every tenth caller, then both ends closed. Counts must be exact;
 * provider threads, fds, open provider sockets and the allocator's direct memory back to their baseline; 0 Netty
 * leak reports. Heap after GC is asserted only roughly (the GC decides what stays). Cycles:
 * {@code -Djoinleaf.churn.cycles} (2,000 in the normal build, 100,000 with {@code -Plong}).
 */
public class JoinLeaveChurnSoakTest {
    private static final int CYCLES = Integer.getInteger("joinleaf.churn.cycles", 2000);
    private static final int WARMUP = Math.min(200, CYCLES / 10);
    private static final long POOL_CHUNK_TOLERANCE = 4L * 1024 * 1024;
    private static final int ROOT = Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT | Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;
    private static final int LEAF = Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF | Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;

    private final TcpProvider provider = new TcpProvider();
    private WinsockProcess ws;
    private ExecutorService joiner;

    @Before
    public void start() {
        LeakWatch.install();
        TcpSettings.Builder b = TcpSettings.builder();
        b.maxJoinRatePerSource = 1_000_000; // back-to-back joins from one address are the point here, not a flood
        provider.start(b.build());
        ProviderCatalog catalog = new ProviderCatalog();
        catalog.add(provider, "tcp", 200, 1L);
        ws = new WinsockProcess(catalog);
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        joiner = Executors.newSingleThreadExecutor();
    }

    @After
    public void stop() throws InterruptedException {
        joiner.shutdownNow();
        ws.terminate();
        joiner.awaitTermination(5, TimeUnit.SECONDS);
        provider.stop();
    }

    @Test // reliability.md scorecard 1 (shortened in the normal build); R12, R13, decisions 8 (CF_REJECT)
    public void joinLeaveChurnWithTenPercentRefusedLeavesNothingBehind() throws Exception {
        int leaksBefore = LeakWatch.collectAndCount();
        SOCKET root = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, ROOT);
        SOCKADDR local = SOCKADDR.of("127.0.0.1", 0);
        assertEquals(0, ws.bind(root, local, local.size()));
        assertEquals(0, ws.listen(root, Winsock2.SOMAXCONN));
        SOCKADDR rootName = new SOCKADDR();
        assertEquals(0, ws.getsockname(root, rootName, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE}));

        Tally warm = new Tally();
        for (int i = 0; i < WARMUP; i++) {
            cycle(root, rootName, i, warm);
        }
        ResourceSnapshot before = ResourceSnapshot.take();
        Tally tally = new Tally();
        long start = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
            cycle(root, rootName, i, tally);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ResourceSnapshot after = ResourceSnapshot.take();
        int leaks = LeakWatch.collectAndCount() - leaksBefore;
        System.out.printf("churn: %d cycles in %.1f s (%.0f/s): accepted=%d refused=%d conditionCalls=%d%n"
                + "churn: before %s%nchurn: after  %s%nchurn: leak reports=%d%n", CYCLES, seconds,
                CYCLES / seconds, tally.accepted.get(), tally.refused.get(), tally.conditionCalls.get(), before,
                after, leaks);

        int refused = (CYCLES + 9) / 10; // i % 10 == 0
        assertEquals("condition function calls", CYCLES, tally.conditionCalls.get());
        assertEquals("refused joins (WSAECONNREFUSED at the leaf)", refused, tally.refused.get());
        assertEquals("accepted joins", CYCLES - refused, tally.accepted.get());
        assertEquals("0 leak reports: " + LeakWatch.reports(), 0, leaks);
        assertEquals("provider event-loop threads back to baseline", before.providerThreads(),
                after.providerThreads());
        assertEquals("only the listening root is still open", 1, provider.transport().openSockets());
        // fds: the JVM may open a jar or two meanwhile; a leak would be one per cycle
        assertTrue("fds back to baseline: " + before + " -> " + after, after.openFds() <= before.openFds() + 8);
        assertTrue("heap after GC roughly flat: " + before + " -> " + after,
                after.heapAfterGc() < 2 * before.heapAfterGc() + 64_000_000L);
        // the allocator keeps chunks for reuse: allow one more chunk, while 100,000 cycles leaking even 64 bytes
        // each would hold 6 MB more
        assertTrue("pooled direct memory back to baseline: " + before + " -> " + after,
                after.pooledDirect() <= before.pooledDirect() + POOL_CHUNK_TOLERANCE);
        assertEquals(0, ws.closesocket(root));
    }

    /** Counts of one run. */
    private static final class Tally {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger conditionCalls = new AtomicInteger();
    }

    /** One join and leave: the leaf joins on the joiner thread, the root accepts (or refuses) on this one. */
    private void cycle(SOCKET root, SOCKADDR rootName, int i, Tally tally) throws Exception {
        boolean refuse = i % 10 == 0;
        SOCKET leaf = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
        assertNotEquals("WSASocket: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, leaf);
        Future<Integer> joined = joiner.submit(() -> {
            SOCKET s = ws.WSAJoinLeaf(leaf, rootName, rootName.size(), null, null, null, null, JL_BOTH);
            return s == SOCKET.INVALID_SOCKET ? ws.WSAGetLastError() : 0;
        });
        LPCONDITIONPROC condition = (a, b, c, d, e, f, g, h) -> {
            tally.conditionCalls.incrementAndGet();
            return refuse ? CF_REJECT : CF_ACCEPT;
        };
        SOCKET link = ws.WSAAccept(root, null, null, condition, 0);
        int code = joined.get(RecordingUpcalls.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (refuse) {
            assertEquals(SOCKET.INVALID_SOCKET, link);
            assertEquals("cycle " + i, WSAECONNREFUSED, code);
            tally.refused.incrementAndGet();
        } else {
            assertNotEquals("cycle " + i + ": WSAAccept " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, link);
            assertEquals("cycle " + i, 0, code);
            tally.accepted.incrementAndGet();
            assertEquals(0, ws.closesocket(link));
        }
        assertEquals(0, ws.closesocket(leaf));
    }
}
