package org.joinleaf.bench.tcp;

import static org.joinleaf.api.Winsock2.FD_CLOSE;
import static org.joinleaf.api.Winsock2.FD_CLOSE_BIT;
import static org.joinleaf.api.Winsock2.WSA_WAIT_EVENT_0;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.bench.Benchmark;
import org.joinleaf.bench.Measurement;
import org.joinleaf.bench.RunSettings;
import org.joinleaf.bench.Verdict;

/**
 * reliability.md scorecard 5, crash half: {@code bench.crash.kills} [10] times, a leaf in a second JVM
 * ({@link LeafProcess}) joins the root, the root selects {@code FD_CLOSE} on its c_leaf, the leaf JVM is killed with
 * SIGKILL, and the time from the kill to the root's {@code FD_CLOSE} is taken; target p99 &lt;= 100 ms. The
 * partition half needs a network namespace (root, iproute2) and is measured by provider.tcp's LeafCrashSoakTest.
 */
public final class CrashBenchmark implements Benchmark {
    private static final long ACCEPT_MILLIS = 30_000;
    private static final int CLOSE_WAIT_MILLIS = 5_000;

    @Override
    public void run(RunSettings settings, Consumer<Measurement> sink) throws Exception {
        int kills = Integer.getInteger("bench.crash.kills", 10);
        System.err.println("crash: load average before " + FloodBenchmark.loadAverage());
        System.err.println("SKIPPED crash partition: a silent partition needs a network namespace (root, iproute2); "
                + "run ./mvnw -pl provider.tcp verify -Dtest=LeafCrashSoakTest for it");
        long[] nanos = new long[kills];
        int wrongCodes = 0;
        long start = System.nanoTime();
        try (TcpStack stack = TcpStack.forJoins()) {
            SOCKET root = stack.listeningRoot();
            int port = stack.localAddress(root).toInetSocketAddress().getPort();
            WSAEVENT event = stack.ws.WSACreateEvent();
            for (int k = 0; k < kills; k++) {
                Process leaf = HeapPerLeaf.startLeaves(port, 1, 1);
                try {
                    SOCKET link = accept(stack, root);
                    stack.check(stack.ws.WSAEventSelect(link, event, FD_CLOSE), "WSAEventSelect");
                    long killedAt = System.nanoTime();
                    leaf.destroyForcibly(); // SIGKILL on Linux
                    int rc = stack.ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {event}, false, CLOSE_WAIT_MILLIS,
                            false);
                    nanos[k] = System.nanoTime() - killedAt;
                    if (rc != WSA_WAIT_EVENT_0) {
                        throw new IOException("no FD_CLOSE within " + CLOSE_WAIT_MILLIS + " ms of the kill");
                    }
                    WSANETWORKEVENTS events = new WSANETWORKEVENTS();
                    stack.check(stack.ws.WSAEnumNetworkEvents(link, event, events), "WSAEnumNetworkEvents");
                    if (events.iErrorCode[FD_CLOSE_BIT] != org.joinleaf.api.Winsock2.WSAECONNRESET) {
                        wrongCodes++;
                        System.err.println("crash: FD_CLOSE with " + WSAError.describe(events.iErrorCode[FD_CLOSE_BIT])
                                + ", expected WSAECONNRESET");
                    }
                    stack.ws.closesocket(link);
                } finally {
                    leaf.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double p50 = Joins.percentile(sorted, 50) / 1e6;
        double p99 = Joins.percentile(sorted, 99) / 1e6;
        String notes = String.format(Locale.ROOT, "%s;p50_ms=%.2f;p99_ms=%.2f;max_ms=%.2f;fd_close_not_connreset=%d",
                Verdict.check("scorecard 5: kill -9 of a leaf JVM to the root's FD_CLOSE, p99", p99, 100, true, "ms"),
                p50, p99, sorted[sorted.length - 1] / 1e6, wrongCodes);
        sink.accept(new Measurement("crash", "kill-9", 1, 0, kills, kills, System.nanoTime() - start, notes));
        System.err.println("crash: load average after " + FloodBenchmark.loadAverage());
    }

    /** WSAAccept of the leaf JVM's join, bounded: closing the root wakes the accepting thread. */
    private static SOCKET accept(TcpStack stack, SOCKET root) throws IOException, InterruptedException {
        FutureTask<SOCKET> accept = new FutureTask<>(() -> stack.ws.WSAAccept(root, null, null, null, 0));
        Thread t = new Thread(accept, "bench-crash-acceptor");
        t.setDaemon(true);
        t.start();
        try {
            SOCKET link = accept.get(ACCEPT_MILLIS, TimeUnit.MILLISECONDS);
            if (SOCKET.INVALID_SOCKET.equals(link)) {
                throw stack.failure("WSAAccept");
            }
            return link;
        } catch (TimeoutException e) {
            stack.ws.closesocket(root);
            throw new IOException("the leaf JVM did not join within " + ACCEPT_MILLIS + " ms");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }
}
