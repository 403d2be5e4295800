package org.joinleaf.itests;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.itests.WinsockFixture.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.Winsock;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * reliability.md scorecard 6: provider.tcp in Felix with 100 leaves streaming (the root fans out, every leaf sends
 * to the root; blocking and non-blocking sockets on seven application threads), then the bundle stopped-and-started
 * or updated, alternately, {@code joinleaf.hotswap.cycles} times (the scorecard's 20 with {@code -Plong}; fewer
 * in the normal build, see the itests pom). Each cycle: every socket ends with
 * {@code WSAENETDOWN} within 2 s of the stop (event-selected sockets by {@code FD_CLOSE}, blocking ones by their
 * blocked caller's return, and every later call on them), no application thread hangs, the previous
 * incarnation's {@code joinleaf-tcp} threads are gone, open fds are back to the baseline; then the session is
 * rebuilt.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TcpHotSwapLoadIT extends InFramework {
    private static final String TCP = "joinleaf tcp multipoint [rooted]";
    private static final int CYCLES = Integer.getInteger("joinleaf.hotswap.cycles", 6);
    private static final int LEAVES = 100;
    /** Leaves below this index stay blocking; the others are event-selected (non-blocking). */
    private static final int BLOCKING_LEAVES = LEAVES / 2;
    private static final long CLOSE_BOUND_MILLIS = 2000;
    /** A thread still running this long after the stop counts as hung. */
    private static final long HANG_MILLIS = 10_000;
    /**
     * fds may exceed the baseline by this much: the JVM and Felix open a few files lazily (jars, the bundle cache of
     * an update) while every leaked session would leave about 200 (one per socket).
     */
    private static final int FD_TOLERANCE = 8;
    private static final byte[] MESSAGE = new byte[64];

    @Configuration
    public Option[] config() {
        return new Option[] {JoinleafOptions.base(), JoinleafOptions.netty()};
    }

    @Test // reliability.md scorecard 6; decisions 12 (a provider that leaves closes its sockets with WSAENETDOWN)
    public void providerStoppedAndUpdatedUnderLoad_everySocketClosedWithin2s_noHangs_noLeftovers() throws Exception {
        startup(ws);
        Bundle tcp = context.installBundle(JoinleafOptions.projectBundle("provider.tcp"));
        tcp.start();
        int fdBaseline = -1;
        int threadBaseline = -1;
        long worstMillis = 0;
        ExecutorService app = Executors.newFixedThreadPool(7);
        try {
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                awaitEntry(ws, TCP, true);
                boolean update = cycle % 2 == 1;
                long began = System.nanoTime();
                Swap swap = cycle(tcp, update, app, cycle);
                worstMillis = Math.max(worstMillis, swap.closeMillis);
                int fds = openFds();
                if (cycle == 0) {
                    fdBaseline = fds; // after one full cycle: classes loaded, bundle cache written
                    threadBaseline = swap.loopThreads;
                }
                System.out.printf("hot swap load: cycle %d (%s, %d ms): every socket closed within %d ms, %s returned"
                        + " after %d ms; fds=%d (baseline %d); joinleaf-tcp threads %d, all ended%n", cycle,
                        update ? "update" : "stop+start", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
                        swap.closeMillis, update ? "update()" : "stop()", swap.swapMillis, fds, fdBaseline,
                        swap.loopThreads);
                assertEquals("cycle " + cycle + ": joinleaf-tcp threads under load as in cycle 0", threadBaseline,
                        swap.loopThreads);
                assertTrue("cycle " + cycle + ": fds back to baseline " + fdBaseline + " (+" + FD_TOLERANCE
                        + "): " + fds, fds <= fdBaseline + FD_TOLERANCE);
            }
        } finally {
            tcp.uninstall(); // ends any caller a failed cycle left blocked
            app.shutdownNow();
            app.awaitTermination(5, TimeUnit.SECONDS);
        }
        System.out.printf("hot swap load: %d cycles, %d leaves, max FD_CLOSE/return after stop %d ms (bound %d)%n",
                CYCLES, LEAVES, worstMillis, CLOSE_BOUND_MILLIS);
    }

    /**
     * What one swap measured: the slowest close after the stop, how long {@code stop()}/{@code update()} took (the
     * provider's bounded shutdown), and the event-loop threads it ended.
     */
    private record Swap(long closeMillis, long swapMillis, int loopThreads) {
    }

    /** One session under load, then the swap. */
    private Swap cycle(Bundle tcp, boolean update, ExecutorService app, int cycle) throws Exception {
        Session s = Session.build(ws, app);
        FanOutWindow window = new FanOutWindow(LEAVES);
        List<Callable<Ended>> work = List.of(
                () -> fanOut(s.root, window),
                () -> rootReceiver(s.root, window),
                () -> blockingReader(s.leaves.subList(0, BLOCKING_LEAVES / 2), window),
                () -> blockingReader(s.leaves.subList(BLOCKING_LEAVES / 2, BLOCKING_LEAVES), window),
                () -> blockingSender(s.leaves.subList(0, BLOCKING_LEAVES)),
                () -> eventLoop(s.leaves.subList(BLOCKING_LEAVES, LEAVES), s.leafEvent, window, true),
                () -> eventLoop(s.links, s.linkEvent, window, false));
        List<Future<Ended>> threads = new ArrayList<>();
        for (Callable<Ended> w : work) {
            threads.add(app.submit(() -> {
                try {
                    return w.call();
                } finally {
                    window.close(); // the fan-out stops waiting for readers that have ended
                }
            }));
        }
        if (!window.awaitFlowing(10_000)) {
            List<String> ended = new ArrayList<>();
            for (Future<Ended> f : threads) {
                ended.add(f.isDone() ? f.get().toString() : "running");
            }
            fail("cycle " + cycle + ": data does not flow both ways before the swap: " + window + ", threads " + ended);
        }

        Set<Thread> incarnation = tcpThreads();
        long stoppedAt = System.nanoTime();
        if (update) {
            tcp.update(); // stops, replaces and starts the bundle again
        } else {
            tcp.stop();
        }
        long swapMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
        long slowest = 0;
        for (Future<Ended> f : threads) {
            Ended end;
            try {
                end = f.get(HANG_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("cycle " + cycle + ": an application thread hangs " + HANG_MILLIS
                        + " ms after the stop", e);
            }
            assertEquals("cycle " + cycle + ": " + end.what + " ends with WSAENETDOWN, was "
                    + WSAError.describe(end.code), WSAENETDOWN, end.code);
            slowest = Math.max(slowest, end.atNanos - stoppedAt);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(slowest);
        assertTrue("cycle " + cycle + ": every socket closed within " + CLOSE_BOUND_MILLIS + " ms, slowest "
                + millis + " ms", millis <= CLOSE_BOUND_MILLIS);
        s.assertBlockingSocketsDown(cycle);
        for (Thread t : incarnation) {
            t.join(CLOSE_BOUND_MILLIS);
            assertTrue("cycle " + cycle + ": event-loop thread " + t.getName() + " outlived its provider",
                    !t.isAlive());
        }
        s.close();
        if (!update) {
            tcp.start();
        }
        return new Swap(millis, swapMillis, incarnation.size());
    }

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** How an application thread ended: the Winsock code that ended it and when. */
    private record Ended(String what, int code, long atNanos) {
        static Ended now(String what, int code) {
            return new Ended(what, code, System.nanoTime());
        }
    }

    /** The root's blocking fan-out: one message to every leaf per send, paced by the window, until a send fails. */
    private Ended fanOut(SOCKET root, FanOutWindow window) {
        for (long i = 0; i < 100_000_000L; i++) { // bounded; ends at the first failure
            window.awaitRoom(200);
            if (ws.send(root, MESSAGE, MESSAGE.length, 0) == SOCKET_ERROR) {
                return Ended.now("the root's blocking fan-out", ws.WSAGetLastError());
            }
        }
        return Ended.now("the root's fan-out ran out of iterations", 0);
    }

    /** The root's blocking receive of what every leaf sends (a d_root receives for all its leaves). */
    private Ended rootReceiver(SOCKET root, FanOutWindow window) {
        byte[] buf = new byte[MESSAGE.length];
        for (long i = 0; i < 100_000_000L; i++) {
            int n = ws.recv(root, buf, buf.length, 0);
            if (n <= 0) {
                return Ended.now("the root's blocking receiver", n == 0 ? 0 : ws.WSAGetLastError());
            }
            window.rootReceived();
        }
        return Ended.now("the root's receiver ran out of iterations", 0);
    }

    /** Blocking receives on each leaf in turn, until one fails. */
    private Ended blockingReader(List<SOCKET> leaves, FanOutWindow window) {
        byte[] buf = new byte[MESSAGE.length];
        for (long i = 0; i < 100_000_000L; i++) {
            int n = ws.recv(leaves.get((int) (i % leaves.size())), buf, buf.length, 0);
            if (n <= 0) {
                return Ended.now("a blocking leaf reader", n == 0 ? 0 : ws.WSAGetLastError());
            }
            window.delivered();
        }
        return Ended.now("a blocking leaf reader ran out of iterations", 0);
    }

    /** Blocking sends from each leaf to the root in turn, until one fails. */
    private Ended blockingSender(List<SOCKET> leaves) {
        for (long i = 0; i < 100_000_000L; i++) {
            if (ws.send(leaves.get((int) (i % leaves.size())), MESSAGE, MESSAGE.length, 0) == SOCKET_ERROR) {
                return Ended.now("the blocking leaf sender", ws.WSAGetLastError());
            }
        }
        return Ended.now("the blocking leaf sender ran out of iterations", 0);
    }

    /**
     * Serves event-selected sockets sharing one event: leaves drain what arrived and send one message per wake-up;
     * the root's c_leaf sockets carry no data (it arrives on the root). Runs until every socket reported
     * {@code FD_CLOSE}. Ends with the
     * first {@code FD_CLOSE} code other than WSAENETDOWN, else WSAENETDOWN, at the time the last one was seen.
     */
    private Ended eventLoop(List<SOCKET> sockets, WSAEVENT ev, FanOutWindow window, boolean leaves) {
        String what = leaves ? "a non-blocking leaf" : "a root-side c_leaf socket";
        boolean[] closed = new boolean[sockets.size()];
        int open = sockets.size();
        byte[] buf = new byte[MESSAGE.length];
        WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (open > 0 && System.nanoTime() < deadline) {
            ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {ev}, false, 100, false);
            ws.WSAResetEvent(ev); // before enumerating: whatever happens from now on signals again
            for (int i = 0; i < sockets.size(); i++) {
                if (closed[i]) {
                    continue;
                }
                SOCKET s = sockets.get(i);
                if (ws.WSAEnumNetworkEvents(s, null, ne) != 0) {
                    return Ended.now(what + ": WSAEnumNetworkEvents", ws.WSAGetLastError());
                }
                if (leaves) {
                    for (int r = 0; r < 1000 && ws.recv(s, buf, buf.length, 0) > 0; r++) { // drain, bounded
                        window.delivered();
                    }
                    ws.send(s, MESSAGE, MESSAGE.length, 0); // WSAEWOULDBLOCK is fine: FD_WRITE comes back
                }
                if ((ne.lNetworkEvents & FD_CLOSE) != 0) {
                    int code = ne.iErrorCode[FD_CLOSE_BIT];
                    if (code != WSAENETDOWN) {
                        return Ended.now(what + " got FD_CLOSE", code);
                    }
                    closed[i] = true;
                    open--;
                }
            }
        }
        return open == 0 ? Ended.now(what, WSAENETDOWN) : Ended.now(what + ": no FD_CLOSE within 60 s", 0);
    }

    /**
     * A blocking root with 100 joined leaves: half blocking, half event-selected; the root's c_leaf sockets (one
     * per leaf, from WSAAccept) event-selected for FD_CLOSE.
     */
    private static final class Session {
        final Winsock ws;
        final SOCKET root;
        final List<SOCKET> leaves = new ArrayList<>();
        final List<SOCKET> links = new ArrayList<>();
        final WSAEVENT leafEvent;
        final WSAEVENT linkEvent;

        private Session(Winsock ws, SOCKET root) {
            this.ws = ws;
            this.root = root;
            this.leafEvent = ws.WSACreateEvent();
            this.linkEvent = ws.WSACreateEvent();
        }

        static Session build(Winsock ws, ExecutorService app) throws Exception {
            SOCKET r = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, ROOT);
            assertTrue("a tcp entry: " + entryOf(ws, r), entryOf(ws, r).startsWith(TCP));
            Session s = new Session(ws, r);
            assertEquals(0, ws.bind(r, SOCKADDR.of("127.0.0.1", 0), 16));
            SOCKADDR at = new SOCKADDR();
            assertEquals(0, ws.getsockname(r, at, new int[] {16}));
            assertEquals(0, ws.listen(r, LEAVES));
            Future<?> acceptor = app.submit(() -> {
                for (int i = 0; i < LEAVES; i++) {
                    SOCKET c = ws.WSAAccept(r, null, null, ACCEPT_ALL, 0);
                    assertNotEquals("WSAAccept: " + WSAError.describe(ws.WSAGetLastError()), SOCKET.INVALID_SOCKET, c);
                    assertEquals(0, ws.WSAEventSelect(c, s.linkEvent, FD_CLOSE));
                    s.links.add(c);
                }
                return null;
            });
            for (int i = 0; i < LEAVES; i++) {
                SOCKET l = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
                assertEquals("join " + i + ": " + WSAError.describe(ws.WSAGetLastError()), l,
                        ws.WSAJoinLeaf(l, at, 16, null, null, null, null, JL_BOTH));
                if (i >= BLOCKING_LEAVES) {
                    assertEquals(0, ws.WSAEventSelect(l, s.leafEvent, FD_READ | FD_WRITE | FD_CLOSE));
                }
                s.leaves.add(l);
            }
            acceptor.get(10, TimeUnit.SECONDS);
            return s;
        }

        /**
         * Blocking sockets have no event selection to record FD_CLOSE in (and selecting a closed socket fails): each
         * must now fail every call with WSAENETDOWN, as their blocked callers did.
         */
        void assertBlockingSocketsDown(int cycle) {
            List<SOCKET> blocking = new ArrayList<>(leaves.subList(0, BLOCKING_LEAVES));
            blocking.add(root);
            for (SOCKET b : blocking) {
                assertEquals("cycle " + cycle + ": send on " + b, SOCKET_ERROR, ws.send(b, MESSAGE, MESSAGE.length, 0));
                assertEquals("cycle " + cycle + ": send on " + b + " fails with WSAENETDOWN, was "
                        + WSAError.describe(ws.WSAGetLastError()), WSAENETDOWN, ws.WSAGetLastError());
            }
        }

        void close() {
            List<SOCKET> all = new ArrayList<>(links);
            all.addAll(leaves);
            all.add(root);
            for (SOCKET x : all) {
                assertEquals(0, ws.closesocket(x));
            }
            ws.WSACloseEvent(leafEvent);
            ws.WSACloseEvent(linkEvent);
        }
    }

    /**
     * Paces the root's fan-out: it may run at most {@value #AHEAD} messages ahead of what the leaves have read, so
     * no leaf is ever slow enough to be evicted (that would be FD_CLOSE with another code). Also tells when data
     * flows both ways.
     */
    private static final class FanOutWindow {
        private static final int AHEAD = 32;
        private final int leaves;
        private long sent;
        private long delivered;
        private long rootReceived;
        private boolean closed;

        FanOutWindow(int leaves) {
            this.leaves = leaves;
        }

        /**
         * Waits for room, at most {@code millis} and not once closed; then counts one send (if the readers are gone,
         * the send finds out why).
         */
        synchronized void awaitRoom(long millis) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            long left;
            while (!closed && (sent - AHEAD) * leaves > delivered && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            sent++;
            notifyAll();
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }

        synchronized void delivered() {
            delivered++;
            notifyAll();
        }

        synchronized void rootReceived() {
            rootReceived++;
            notifyAll();
        }

        @Override
        public synchronized String toString() {
            return "sent=" + sent + " delivered=" + delivered + " rootReceived=" + rootReceived;
        }

        /** True once every leaf has read some fan-out and the root has heard from the leaves. */
        synchronized boolean awaitFlowing(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            long left;
            while ((delivered < 3L * leaves || rootReceived < leaves) && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return delivered >= 3L * leaves && rootReceived >= leaves;
        }
    }
}
