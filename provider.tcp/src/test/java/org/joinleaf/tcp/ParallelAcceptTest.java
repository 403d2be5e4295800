package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSADATA;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Decision 39 over 127.0.0.1: several threads in a blocking {@code WSAAccept} on one listening c_root each take a
 * different JOIN, and two condition functions run at the same time (the provider offers the request after the one
 * being decided). Every join completes with the callee data of the call that accepted it; no JOIN is decided twice.
 */
public class ParallelAcceptTest {
    private static final int ACCEPT_THREADS = 4;
    private static final int LEAF_THREADS = 4;
    private static final int JOINS_PER_LEAF = 25;
    private static final int JOINS = LEAF_THREADS * JOINS_PER_LEAF;
    private static final long WAIT_SECONDS = 30;

    private final TcpProvider provider = new TcpProvider();
    private WinsockProcess ws;

    @Before
    public void start() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.maxJoinRatePerSource = 1_000_000; // concurrent joins from one address are the point here, not a flood
        provider.start(b.build());
        ProviderCatalog catalog = new ProviderCatalog();
        catalog.add(provider, "tcp", 200, 1L);
        ws = new WinsockProcess(catalog);
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
    }

    @After
    public void stop() {
        ws.terminate();
        provider.stop();
    }

    @Test
    public void acceptThreadsDecideDifferentJoinsInParallel_decision39() throws Exception {
        SOCKET root = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0,
                WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT);
        assertEquals(0, ws.bind(root, SOCKADDR.of("127.0.0.1", 0), 16));
        SOCKADDR at = new SOCKADDR();
        assertEquals(0, ws.getsockname(root, at, new int[] {16}));
        assertEquals(0, ws.listen(root, SOMAXCONN));

        // The first two decisions wait for each other: they meet only if two run at once.
        CountDownLatch pair = new CountDownLatch(2);
        AtomicBoolean paired = new AtomicBoolean();
        AtomicInteger decisions = new AtomicInteger();
        LPCONDITIONPROC admit = (callerId, callerData, sqos, gqos, calleeId, calleeData, g, cb) -> {
            int n = decisions.incrementAndGet();
            if (n <= 2) {
                pair.countDown();
                try {
                    paired.compareAndSet(false, pair.await(WAIT_SECONDS, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ByteBuffer.wrap(calleeData.buf).putInt(n);
            calleeData.len = 4;
            return CF_ACCEPT;
        };
        AtomicInteger accepted = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < ACCEPT_THREADS; t++) {
            threads.add(start("accept-" + t, () -> {
                while (accepted.get() < JOINS) {
                    SOCKET link = ws.WSAAccept(root, null, null, admit, 0);
                    if (SOCKET.INVALID_SOCKET.equals(link)) {
                        int code = ws.WSAGetLastError();
                        if (code != WSAEINTR && code != WSAENOTSOCK) { // the root closed at the end
                            failure.compareAndSet(null, "WSAAccept: " + ws.WSAGetLastErrorMessage());
                        }
                        return;
                    }
                    accepted.incrementAndGet();
                    ws.closesocket(link);
                }
            }));
        }
        Set<Integer> answers = ConcurrentHashMap.newKeySet();
        List<Thread> leaves = new ArrayList<>();
        for (int t = 0; t < LEAF_THREADS; t++) {
            leaves.add(start("leaf-" + t, () -> {
                for (int i = 0; i < JOINS_PER_LEAF && failure.get() == null; i++) {
                    SOCKET leaf = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0,
                            WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF);
                    WSABUF callee = WSABUF.allocate(16);
                    if (SOCKET.INVALID_SOCKET.equals(ws.WSAJoinLeaf(leaf, at, 16, null, callee, null, null,
                            JL_BOTH))) {
                        failure.compareAndSet(null, "WSAJoinLeaf: " + ws.WSAGetLastErrorMessage());
                    } else if (callee.len != 4 || !answers.add(ByteBuffer.wrap(callee.buf).getInt())) {
                        failure.compareAndSet(null, "callee data of " + callee.len + " bytes, or a decision twice");
                    }
                    ws.closesocket(leaf);
                }
            }));
        }
        for (Thread leaf : leaves) {
            leaf.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        ws.closesocket(root); // wakes accept threads still waiting
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        assertNull(failure.get());
        assertTrue("two condition functions ran at the same time", paired.get());
        assertEquals("every join decided once", JOINS, decisions.get());
        assertEquals(JOINS, answers.size());
        assertEquals(JOINS, accepted.get());
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, "parallel-accept-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
