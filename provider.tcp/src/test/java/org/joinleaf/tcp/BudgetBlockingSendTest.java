package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.FIONBIO;
import static org.joinleaf.api.Winsock2.IPPROTO_TCP;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.SOCK_STREAM;
import static org.joinleaf.api.Winsock2.WSAENETDOWN;
import static org.joinleaf.api.Winsock2.WSAENOBUFS;
import static org.joinleaf.api.Winsock2.WSAEWOULDBLOCK;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.tcp.session.LimitCounters.Limit;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.After;
import org.junit.Test;

/**
 * Decision 50 (issue 14 item 1, issue 11 item 1): a blocking send waits while a provider-wide send budget
 * ({@code maxQueuedBytes}, the queued writes' heap) is full, and goes on when it has room; a non-blocking one still
 * gets {@code WSAENOBUFS}; the provider leaving ends the wait with {@code WSAENETDOWN} (decision 12). Root "hog"
 * fills the budget with one frame its raw, non-reading leaf holds; root "sender" and its leaf are healthy.
 */
public class BudgetBlockingSendTest extends RuntimeOverTcp {
    private static final int LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;
    private static final byte[] MESSAGE = new byte[100]; // 105 B framed: with a 4005-byte frame held, over 4096
    private static final long FILL_MILLIS = 10_000;
    private static final int ATTEMPTS = 5;

    private SOCKET hog;
    private RawLeaf stalled;
    private SOCKET sender;
    private SOCKET leaf;

    @Override
    TcpSettings settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.maxMessageSize = 4096;
        b.writeBufferLowWaterMark = 1024;
        b.writeBufferHighWaterMark = 2048;
        b.maxQueuedBytes = 4096; // its least (2 x the high mark): one 4000-byte frame held leaves no room
        b.slowLeafTimeoutMillis = 60_000; // the stalled leaf holds the budget for the whole test
        b.heartbeatTimeoutMillis = 120_000;
        return b.build();
    }

    @After
    public void closeStalledLeaf() throws Exception {
        if (stalled != null) {
            stalled.close();
        }
    }

    /** Root "hog" with its raw leaf that reads nothing; the sender with a joined, reading leaf. */
    private void sessions() throws Exception {
        hog = listeningRoot();
        stalled = new RawLeaf(localAddress(hog), 4096, "127.0.0.4");
        stalled.join(JL_BOTH, new byte[0]);
        assertNotEquals(SOCKET.INVALID_SOCKET, ws.WSAAccept(hog, null, null, null, 0));
        stalled.expect(RawLeaf.ACCEPT);
        assertEquals(0, ws.ioctlsocket(hog, FIONBIO, new int[] {1}));

        sender = listeningRoot();
        SOCKADDR senderAddress = localAddress(sender);
        leaf = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
        Future<SOCKET> joined = background.submit(() -> ws.WSAJoinLeaf(leaf, senderAddress, senderAddress.size(),
                null, null, null, null, JL_BOTH));
        assertNotEquals(SOCKET.INVALID_SOCKET, ws.WSAAccept(sender, null, null, null, 0));
        assertEquals(leaf, joined.get(10, TimeUnit.SECONDS));
    }

    /**
     * The hog sends until the kernel's buffers (autotuned: MBs) are full and one 4000-byte frame stays queued:
     * maxQueuedBytes is then full. Held across a few looks, as a loaded machine's event loop may be late.
     */
    private void holdTheBudget() throws Exception {
        byte[] big = new byte[4000];
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FILL_MILLIS);
        int looks = 0;
        boolean refused = false;
        for (int i = 0; i < 100_000 && looks < 3 && System.nanoTime() < deadline; i++) {
            if (refused && provider.transport().queuedBytes() >= big.length) {
                looks++;
                Thread.sleep(50);
                continue;
            }
            looks = 0;
            refused = ws.send(hog, big, big.length, 0) == SOCKET_ERROR;
            if (refused) {
                int error = ws.WSAGetLastError();
                assertTrue("hog: " + error, error == WSAENOBUFS || error == WSAEWOULDBLOCK);
                Thread.sleep(1);
            }
        }
        assertEquals("the kernel's buffers filled and a frame stays queued", 3, looks);
    }

    /** The sender's blocking send, returned once the budget refused it: -error or the bytes sent. */
    private Future<Integer> refusedBlockingSend() throws Exception {
        long refused = provider.transport().counters().count(Limit.QUEUED_BYTES);
        Future<Integer> send = background.submit(() -> {
            int n = ws.send(sender, MESSAGE, MESSAGE.length, 0);
            return n == SOCKET_ERROR ? -ws.WSAGetLastError() : n;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (provider.transport().counters().count(Limit.QUEUED_BYTES) == refused && !send.isDone()
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue("the budget refused the send", provider.transport().counters().count(Limit.QUEUED_BYTES) > refused);
        return send;
    }

    /**
     * A blocking send the full budget refused and that still waits. Ended already (the hog's frame left between
     * the looks, possible on a loaded machine): it must have gone through, never WSAENOBUFS; then again.
     */
    private Future<Integer> waitingBlockingSend() throws Exception {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            holdTheBudget();
            Future<Integer> send = refusedBlockingSend();
            Thread.sleep(100); // a send refused for good ends within this
            if (!send.isDone()) {
                return send;
            }
            assertEquals("a blocking send never ends with -WSAENOBUFS", Integer.valueOf(MESSAGE.length), send.get());
            assertEquals(MESSAGE.length, ws.recv(leaf, new byte[256], 256, 0));
        }
        throw new AssertionError("the budget never stayed full while a blocking send was refused");
    }

    @Test // decision 50: a blocking send waits on the full budget and completes when the slow leaf drains
    public void blockingSendWaitsForTheBudgetAndCompletesWhenTheLeafDrains() throws Exception {
        sessions();
        Future<Integer> send = waitingBlockingSend();
        for (int i = 0; i < 100_000 && provider.transport().queuedBytes() >= 4000; i++) {
            stalled.expect(RawLeaf.DATA); // the stalled leaf reads: the kernel takes the hog's queued frame
        }
        assertEquals(Integer.valueOf(MESSAGE.length), send.get(10, TimeUnit.SECONDS));
        byte[] got = new byte[256];
        assertEquals(MESSAGE.length, ws.recv(leaf, got, got.length, 0));
    }

    @Test // decision 50 / decision 33: a non-blocking send over the full budget keeps WSAENOBUFS
    public void nonBlockingSendOverTheBudgetStillFailsWithNoBufs() throws Exception {
        sessions();
        assertEquals(0, ws.ioctlsocket(sender, FIONBIO, new int[] {1}));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            holdTheBudget();
            if (ws.send(sender, MESSAGE, MESSAGE.length, 0) == SOCKET_ERROR) {
                assertEquals(WSAENOBUFS, ws.WSAGetLastError());
                return;
            }
            assertEquals(MESSAGE.length, ws.recv(leaf, new byte[256], 256, 0)); // the frame left between the looks
        }
        throw new AssertionError("the budget never stayed full for the send");
    }

    @Test // decision 50 with decision 12: the provider leaving ends a send waiting on the budget with WSAENETDOWN
    public void blockingSendWaitingOnTheBudgetEndsWithNetDownWhenTheProviderLeaves() throws Exception {
        sessions();
        Future<Integer> send = waitingBlockingSend();
        catalog.remove(provider); // what DS does before deactivate
        provider.stop();
        assertEquals(Integer.valueOf(-WSAENETDOWN), send.get(10, TimeUnit.SECONDS));
    }
}
