package org.joinleaf.bench.tcp;

import static org.joinleaf.api.Winsock2.CF_ACCEPT;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKET;

/**
 * The root's threads: blocking {@code WSAAccept} on a listening c_root, {@code expected} times in all, with a
 * condition function that admits every leaf and answers {@value #CALLEE_BYTES} bytes of callee data. Each new c_leaf
 * socket is closed at once ({@code keepLinks == false}, join benchmarks) or kept until the stack closes (fan-out,
 * heap). Several threads accept in parallel as a real server would (decision 39): each call takes its own JOIN.
 */
final class Acceptor implements AutoCloseable {
    static final int CALLEE_BYTES = 16;
    private static final byte[] CALLEE = "callee-16-bytes!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final LPCONDITIONPROC ADMIT = (callerId, callerData, sqos, gqos, calleeId, calleeData, g, cb) -> {
        System.arraycopy(CALLEE, 0, calleeData.buf, 0, CALLEE_BYTES);
        calleeData.len = CALLEE_BYTES;
        return CF_ACCEPT;
    };

    private final TcpStack stack;
    private final SOCKET root;
    private final int expected;
    private final boolean keepLinks;
    /** Accept calls started, at most {@code expected}. */
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();

    private Acceptor(TcpStack stack, SOCKET root, int expected, boolean keepLinks, int threadCount) {
        this.stack = stack;
        this.root = root;
        this.expected = expected;
        this.keepLinks = keepLinks;
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(this::acceptAll, "bench-tcp-acceptor-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    /** One accepting thread. */
    static Acceptor start(TcpStack stack, SOCKET root, int expected, boolean keepLinks) {
        return start(stack, root, expected, keepLinks, 1);
    }

    /** {@code threadCount} accepting threads sharing the {@code expected} accepts. */
    static Acceptor start(TcpStack stack, SOCKET root, int expected, boolean keepLinks, int threadCount) {
        Acceptor a = new Acceptor(stack, root, expected, keepLinks, threadCount);
        a.threads.forEach(Thread::start);
        return a;
    }

    private void acceptAll() {
        try {
            while (failure.get() == null && claimed.incrementAndGet() <= expected) {
                SOCKET link = stack.ws.WSAAccept(root, null, null, ADMIT, 0);
                if (SOCKET.INVALID_SOCKET.equals(link)) {
                    throw stack.failure("WSAAccept");
                }
                if (!keepLinks) { // a kept link stays open in the stack until it closes
                    stack.check(stack.ws.closesocket(link), "closesocket(c_leaf on the root)");
                }
                accepted.incrementAndGet();
            }
        } catch (IOException e) {
            failure.compareAndSet(null, e);
        }
    }

    int accepted() {
        return accepted.get();
    }

    /** Waits at most {@code millis} for all {@code expected} joins; throws what an accept thread hit. */
    void await(long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        if (threads.stream().anyMatch(Thread::isAlive)) {
            throw new IOException("only " + accepted() + " of " + expected + " joins accepted within " + millis + " ms");
        }
    }

    /** Ends the accept threads (closing the root wakes a blocked WSAAccept) within a bounded wait. */
    @Override
    public void close() throws InterruptedException {
        if (threads.stream().anyMatch(Thread::isAlive)) {
            stack.ws.closesocket(root);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        }
    }
}
