package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.junit.Test;

/**
 * Decision 39: several threads in {@code WSAAccept} on one listening socket each decide a different request, never
 * the same one twice; in parallel where the provider offers more than its head, one after the other where it offers
 * only the head; a deferred request is taken by a thread that was waiting behind it (§4: it stays queued).
 */
public class ParallelAcceptTest extends ScriptedRuntimeTest {

    private final List<SOCKADDR> decided = new CopyOnWriteArrayList<>();

    /** Records the caller it decides, waits for {@code gate}, then answers {@code verdict}. */
    private LPCONDITIONPROC condition(CountDownLatch inside, CountDownLatch gate, int verdict) {
        return (callerId, callerData, sqos, gqos, calleeId, calleeData, g, cb) -> {
            decided.add(SOCKADDR.from(callerId));
            inside.countDown();
            try {
                gate.await(ScriptedProvider.WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return verdict;
        };
    }

    private Future<Outcome<SOCKET>> accept(SOCKET root, LPCONDITIONPROC condition) {
        return inBackground(() -> ws.WSAAccept(root, null, null, condition, 0));
    }

    /** Listens on {@code root}, whose provider offers the requests behind the head too (as provider.tcp does). */
    private ScriptedProvider.ScriptedSocket listeningBeyondHead(SOCKET root) {
        assertOk(ws.listen(root, 5));
        ScriptedProvider.ScriptedSocket t = rr.lastSocket();
        t.offerBeyondHead(true);
        return t;
    }

    @Test
    public void twoAcceptsDecideTwoRequestsAtOnce_decision39() throws Exception {
        SOCKET root = rrRoot();
        ScriptedProvider.ScriptedSocket t = listeningBeyondHead(root);
        ScriptedProvider.ScriptedRequest a = t.queue(LEAF_A, null, null, 0);
        ScriptedProvider.ScriptedRequest b = t.queue(LEAF_B, null, null, 0);
        CountDownLatch bothInside = new CountDownLatch(2);
        LPCONDITIONPROC waitForTheOther = condition(bothInside, bothInside, CF_ACCEPT);
        Future<Outcome<SOCKET>> first = accept(root, waitForTheOther);
        Future<Outcome<SOCKET>> second = accept(root, waitForTheOther);
        Outcome<SOCKET> one = result(first);
        Outcome<SOCKET> two = result(second);
        assertTrue("both condition functions ran at the same time", bothInside.await(0, TimeUnit.SECONDS));
        assertNotEquals("accept failed with " + one.lastError, SOCKET.INVALID_SOCKET, one.value);
        assertNotEquals("accept failed with " + two.lastError, SOCKET.INVALID_SOCKET, two.value);
        assertNotEquals(one.value, two.value);
        assertEquals("each request decided once", 2, decided.size());
        assertTrue("both requests decided: " + decided, decided.contains(LEAF_A) && decided.contains(LEAF_B));
        assertNotNull(a.accepted());
        assertNotNull(b.accepted());
    }

    @Test
    public void headOnlyProviderServesParallelAcceptsInTurn_decision39() throws Exception {
        SOCKET root = rrRoot();
        assertOk(ws.listen(root, 5));
        ScriptedProvider.ScriptedSocket t = rr.lastSocket();
        ScriptedProvider.ScriptedRequest a = t.queue(LEAF_A, null, null, 0);
        ScriptedProvider.ScriptedRequest b = t.queue(LEAF_B, null, null, 0);
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        Future<Outcome<SOCKET>> first = accept(root, condition(firstInside, gate, CF_ACCEPT));
        assertTrue(firstInside.await(ScriptedProvider.WAIT_SECONDS, TimeUnit.SECONDS));
        Future<Outcome<SOCKET>> second = accept(root, condition(new CountDownLatch(1), new CountDownLatch(0),
                CF_ACCEPT));
        Thread.sleep(100); // gives the second call time to reach the queue: it must wait, not decide the head too
        assertEquals("the head is decided by one call only", List.of(LEAF_A), decided);
        gate.countDown();
        assertNotEquals(SOCKET.INVALID_SOCKET, result(first).value);
        assertNotEquals(SOCKET.INVALID_SOCKET, result(second).value);
        assertEquals(List.of(LEAF_A, LEAF_B), decided);
        assertNotNull(a.accepted());
        assertNotNull(b.accepted());
    }

    @Test
    public void aDeferredRequestGoesToTheAcceptWaitingBehindIt_decision39_s4() throws Exception {
        SOCKET root = rrRoot();
        assertOk(ws.listen(root, 5));
        ScriptedProvider.ScriptedRequest a = rr.lastSocket().queue(LEAF_A, null, null, 0);
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicBoolean deferred = new AtomicBoolean();
        LPCONDITIONPROC defer = condition(firstInside, gate, CF_DEFER);
        Future<Outcome<SOCKET>> first = accept(root, (id, d, sq, gq, cid, cd, g, cb) -> {
            int verdict = defer.apply(id, d, sq, gq, cid, cd, g, cb);
            deferred.set(true);
            return verdict;
        });
        assertTrue(firstInside.await(ScriptedProvider.WAIT_SECONDS, TimeUnit.SECONDS));
        AtomicBoolean secondSawItDeferred = new AtomicBoolean();
        Future<Outcome<SOCKET>> second = accept(root, (id, d, sq, gq, cid, cd, g, cb) -> {
            secondSawItDeferred.set(deferred.get());
            return CF_ACCEPT;
        });
        Thread.sleep(100); // gives the second call time to reach the queue: it must wait, not decide the head too
        gate.countDown();
        Outcome<SOCKET> one = result(first);
        assertEquals(SOCKET.INVALID_SOCKET, one.value);
        assertEquals(WSATRY_AGAIN, one.lastError);
        Outcome<SOCKET> two = result(second); // no FD_ACCEPT follows a defer: the release itself must wake it
        assertNotEquals("accept failed with " + two.lastError, SOCKET.INVALID_SOCKET, two.value);
        assertTrue("the second call decided the request only after the first deferred it", secondSawItDeferred.get());
        assertNotNull(a.accepted());
        assertNull(rr.lastSocket().pendingRequest());
    }

    /** {@code n} blocking WSAAccept calls on their own threads (more than the base class's pool holds). */
    private List<Future<Outcome<SOCKET>>> waitingAccepts(ExecutorService pool, SOCKET root, int n,
                                                         LPCONDITIONPROC condition) throws InterruptedException {
        List<Future<Outcome<SOCKET>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(pool.submit(() -> new Outcome<>(ws.WSAAccept(root, null, null, condition, 0),
                    ws.WSAGetLastError())));
        }
        Thread.sleep(100); // gives every call time to find the queue empty: one watches, the others wait their turn
        return calls;
    }

    @Test
    public void idleAcceptsTakeRequestsArrivingOneByOneEachOnce_decision57() throws Exception {
        SOCKET root = rrRoot();
        ScriptedProvider.ScriptedSocket t = listeningBeyondHead(root);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Outcome<SOCKET>>> calls = waitingAccepts(pool, root, 4,
                    condition(new CountDownLatch(0), new CountDownLatch(0), CF_ACCEPT));
            List<ScriptedProvider.ScriptedRequest> requests = new ArrayList<>();
            for (int i = 0; i < 4; i++) { // one at a time: each must reach a waiting call, none may be lost
                requests.add(t.queue(SOCKADDR.of("127.0.0.1", 6001 + i), null, null, 0));
                Thread.sleep(20);
            }
            HashSet<SOCKET> sockets = new HashSet<>();
            for (Future<Outcome<SOCKET>> call : calls) {
                Outcome<SOCKET> o = result(call);
                assertNotEquals("accept failed with " + o.lastError, SOCKET.INVALID_SOCKET, o.value);
                sockets.add(o.value);
            }
            assertEquals("four sockets", 4, sockets.size());
            assertEquals("each request decided once", 4, decided.size());
            assertEquals("each request decided once", 4, new HashSet<>(decided).size());
            for (ScriptedProvider.ScriptedRequest r : requests) {
                assertNotNull(r.accepted());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void closingTheSocketEndsEveryWaitingAcceptNotOnlyTheWatcher_decision57() throws Exception {
        SOCKET root = rrRoot();
        assertOk(ws.listen(root, 5));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Outcome<SOCKET>>> calls = waitingAccepts(pool, root, 4,
                    condition(new CountDownLatch(0), new CountDownLatch(0), CF_ACCEPT));
            assertOk(ws.closesocket(root));
            for (Future<Outcome<SOCKET>> call : calls) {
                Outcome<SOCKET> o = result(call);
                assertEquals(SOCKET.INVALID_SOCKET, o.value);
                assertNotEquals("a failed call sets its error", 0, o.lastError);
            }
            assertTrue("no condition ran", decided.isEmpty());
        } finally {
            pool.shutdownNow();
        }
    }
}
