package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertSame;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.junit.After;
import org.junit.Before;

/**
 * The runtime as plain objects over two scripted providers: P-np (multipoint, both planes non-rooted, as IP
 * multicast; its entry has only {@code XP1_SUPPORT_MULTIPOINT}) and P-rr (rooted control and data planes with
 * connect data, as ATM). Blocking calls run on {@link #background}; tests wait on futures, never on sleeps.
 */
abstract class ScriptedRuntimeTest {
    static final int NP_FLAGS = XP1_SUPPORT_MULTIPOINT;
    static final int RR_FLAGS = XP1_SUPPORT_MULTIPOINT | XP1_MULTIPOINT_CONTROL_PLANE | XP1_MULTIPOINT_DATA_PLANE
            | XP1_CONNECT_DATA;
    /** P-np: af INET, SOCK_DGRAM, UDP. */
    static final int NP_TYPE = SOCK_DGRAM;
    /** P-rr: af INET, SOCK_RDM, IPPROTO_RM. */
    static final int RR_TYPE = SOCK_RDM;
    static final int LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;
    static final int ROOT = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    static final SOCKADDR GROUP = SOCKADDR.of("127.0.0.1", 5000);
    static final SOCKADDR LEAF_A = SOCKADDR.of("127.0.0.1", 5001);
    static final SOCKADDR LEAF_B = SOCKADDR.of("127.0.0.1", 5002);
    static final int IN_LEN = SOCKADDR.SIZEOF_SOCKADDR_IN;

    ProviderCatalog catalog;
    ScriptedProvider np;
    ScriptedProvider rr;
    WinsockProcess ws;
    ExecutorService background;

    @Before
    public void startRuntime() {
        catalog = new ProviderCatalog();
        np = ScriptedProvider.withJoin().entry("P-np", AF_INET, NP_TYPE, IPPROTO_UDP, NP_FLAGS);
        rr = ScriptedProvider.withJoin().entry("P-rr", AF_INET, RR_TYPE, IPPROTO_RM, RR_FLAGS);
        catalog.add(np, "P-np", 0, 1L);
        catalog.add(rr, "P-rr", 0, 2L);
        ws = new WinsockProcess(catalog);
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        background = Executors.newFixedThreadPool(2);
    }

    @After
    public void stopRuntime() throws InterruptedException {
        background.shutdownNow();
        ws.terminate();
        background.awaitTermination(ScriptedProvider.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    SOCKET npLeaf() {
        return socket(AF_INET, NP_TYPE, 0, LEAF);
    }

    SOCKET rrLeaf() {
        return socket(AF_INET, RR_TYPE, 0, LEAF);
    }

    SOCKET rrRoot() {
        return socket(AF_INET, RR_TYPE, 0, ROOT);
    }

    /** FIONBIO only (no event selection). */
    SOCKET nonBlocking(SOCKET s) {
        assertOk(ws.ioctlsocket(s, FIONBIO, new int[] {1}));
        return s;
    }

    SOCKET socket(int af, int type, int protocol, int dwFlags) {
        SOCKET s = ws.WSASocket(af, type, protocol, null, 0, dwFlags);
        assertNotEquals("WSASocket failed with " + WSAError.describe(ws.WSAGetLastError()), SOCKET.INVALID_SOCKET, s);
        return s;
    }

    SOCKET join(SOCKET s, SOCKADDR name, WSABUF caller, WSABUF callee, int dwFlags) {
        return ws.WSAJoinLeaf(s, name, IN_LEN, caller, callee, null, null, dwFlags);
    }

    /** A join that must fail with {@code code}. */
    void assertJoinFails(int code, SOCKET s, SOCKADDR name, int namelen, WSABUF caller, int dwFlags) {
        assertFails(code, ws.WSAJoinLeaf(s, name, namelen, caller, null, null, null, dwFlags));
    }

    void assertFails(int code, SOCKET result) {
        assertSame("expected INVALID_SOCKET", SOCKET.INVALID_SOCKET, result);
        assertLastError(code);
    }

    void assertFails(int code, int result) {
        assertEquals("expected SOCKET_ERROR", SOCKET_ERROR, result);
        assertLastError(code);
    }

    void assertLastError(int code) {
        assertEquals(WSAError.describe(code) + " expected, got " + WSAError.describe(ws.WSAGetLastError()) + ": "
                + ws.WSAGetLastErrorMessage(), code, ws.WSAGetLastError());
    }

    void assertOk(int result) {
        assertEquals("failed with " + WSAError.describe(ws.WSAGetLastError()) + ": " + ws.WSAGetLastErrorMessage(),
                0, result);
    }

    /** Selects {@code mask} on {@code s} with a new event object. */
    WSAEVENT select(SOCKET s, int mask) {
        WSAEVENT e = ws.WSACreateEvent();
        assertOk(ws.WSAEventSelect(s, e, mask));
        return e;
    }

    /** Copies and clears the record of {@code s}, resetting {@code e}. */
    WSANETWORKEVENTS events(SOCKET s, WSAEVENT e) {
        WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
        assertOk(ws.WSAEnumNetworkEvents(s, e, ne));
        return ne;
    }

    boolean isSignalled(WSAEVENT e) {
        return ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {e}, false, 0, false) == WSA_WAIT_EVENT_0;
    }

    /**
     * decisions 7: the calls an application might try on a descriptor whose join has not finished; all but
     * {@code WSAEnumNetworkEvents} (decisions 20) fail with {@code WSAENOTCONN}.
     */
    void assertEveryCallIsNotConn(SOCKET s, WSAEVENT e) {
        byte[] buf = new byte[8];
        assertFails(WSAENOTCONN, ws.send(s, buf, 1, 0));
        assertFails(WSAENOTCONN, ws.recv(s, buf, 8, 0));
        assertFails(WSAENOTCONN, ws.sendto(s, buf, 1, 0, GROUP, IN_LEN));
        assertFails(WSAENOTCONN, ws.recvfrom(s, buf, 8, 0, new SOCKADDR(), new int[] {IN_LEN}));
        assertFails(WSAENOTCONN, ws.bind(s, SOCKADDR.of("127.0.0.1", 0), IN_LEN));
        assertFails(WSAENOTCONN, ws.listen(s, 1));
        assertFails(WSAENOTCONN, ws.getsockname(s, new SOCKADDR(), new int[] {IN_LEN}));
        assertFails(WSAENOTCONN, ws.getpeername(s, new SOCKADDR(), new int[] {IN_LEN}));
        assertFails(WSAENOTCONN, ws.ioctlsocket(s, FIONREAD, new int[1]));
        assertFails(WSAENOTCONN, ws.WSAIoctl(s, SIO_MULTIPOINT_LOOPBACK, new int[] {0}, 4, null, 0, new int[1]));
        assertFails(WSAENOTCONN, ws.shutdown(s, SD_BOTH));
        assertFails(WSAENOTCONN, ws.WSAEventSelect(s, e, FD_READ));
        WSANETWORKEVENTS nothingYet = new WSANETWORKEVENTS(); // decisions 20: the record answers, and is empty
        assertOk(ws.WSAEnumNetworkEvents(s, e, nothingYet));
        assertEquals(0, nothingYet.lNetworkEvents);
        assertFails(WSAENOTCONN, ws.getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFO, new WSAPROTOCOL_INFO(),
                new int[] {WSAPROTOCOL_INFO.SIZE}));
        assertFails(WSAENOTCONN, ws.WSAConnect(s, GROUP, IN_LEN, null, null, null, null));
    }

    /** Runs a (blocking) call on another thread; the outcome carries that thread's last error. */
    <T> Future<Outcome<T>> inBackground(Callable<T> call) {
        return background.submit(() -> new Outcome<>(call.call(), ws.WSAGetLastError()));
    }

    static <T> T result(Future<T> f) throws Exception {
        return f.get(ScriptedProvider.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** A result and the last error of the thread that produced it. */
    static final class Outcome<T> {
        final T value;
        final int lastError;

        Outcome(T value, int lastError) {
            this.value = value;
            this.lastError = lastError;
        }
    }
}
