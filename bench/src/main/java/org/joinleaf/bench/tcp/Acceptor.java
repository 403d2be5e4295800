package org.joinleaf.bench.tcp;

import static org.joinleaf.api.Winsock2.CF_ACCEPT;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKET;

/**
 * The root's thread: blocking {@code WSAAccept} on a listening c_root, {@code expected} times, with a condition
 * function that admits every leaf and answers {@value #CALLEE_BYTES} bytes of callee data. Each new c_leaf socket
 * is closed at once ({@code keepLinks == false}, join benchmarks) or kept until the stack closes (fan-out, heap).
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
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final Thread thread;

    private Acceptor(TcpStack stack, SOCKET root, int expected, boolean keepLinks) {
        this.stack = stack;
        this.root = root;
        this.expected = expected;
        this.keepLinks = keepLinks;
        this.thread = new Thread(this::acceptAll, "bench-tcp-acceptor");
        thread.setDaemon(true);
    }

    static Acceptor start(TcpStack stack, SOCKET root, int expected, boolean keepLinks) {
        Acceptor a = new Acceptor(stack, root, expected, keepLinks);
        a.thread.start();
        return a;
    }

    private void acceptAll() {
        try {
            for (int i = 0; i < expected; i++) {
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

    /** Waits at most {@code millis} for all {@code expected} joins; throws what the accept thread hit. */
    void await(long millis) throws IOException, InterruptedException {
        thread.join(millis);
        if (failure.get() != null) {
            throw failure.get();
        }
        if (thread.isAlive()) {
            throw new IOException("only " + accepted() + " of " + expected + " joins accepted within " + millis + " ms");
        }
    }

    /** Ends the accept thread (closing the root wakes a blocked WSAAccept) within a bounded wait. */
    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            stack.ws.closesocket(root);
            thread.join(TimeUnit.SECONDS.toMillis(3));
        }
    }
}
