package org.joinleaf.itests;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock;

/** Small helpers shared by the in-framework tests; every assertion names the Winsock code by name. */
final class WinsockFixture {
    /** The flags of a rooted socket: root of control and data, and a leaf of both. */
    static final int ROOT = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    static final int LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

    /** Admits everyone with no reply data (len 0; left untouched, len is the provider's buffer size, as in C). */
    static final LPCONDITIONPROC ACCEPT_ALL = (callerId, callerData, sqos, gqos, calleeId, calleeData, g, cb) -> {
        calleeData.len = 0;
        return CF_ACCEPT;
    };

    private WinsockFixture() {
    }

    /** provider.tcp's live threads (its event loops and accepting thread are named {@code joinleaf-tcp...}). */
    static Set<Thread> tcpThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("joinleaf-tcp")).collect(Collectors.toSet());
    }

    static void startup(Winsock ws) {
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
    }

    /** Ends every startup of the process, so each test begins uninitialised. */
    static void cleanupAll(Winsock ws) {
        for (int i = 0; i < 100 && ws.WSACleanup() == 0; i++) {
            // bounded: a test never starts more than a few times
        }
    }

    static void assertLastError(Winsock ws, int expected) {
        assertEquals("expected " + WSAError.describe(expected) + " but was " + WSAError.describe(ws.WSAGetLastError())
                + ": " + ws.WSAGetLastErrorMessage(),
                expected, ws.WSAGetLastError());
    }

    static void assertFails(Winsock ws, int expected, SOCKET result) {
        assertEquals(SOCKET.INVALID_SOCKET, result);
        assertLastError(ws, expected);
    }

    static void assertFails(Winsock ws, int expected, int result) {
        assertEquals(SOCKET_ERROR, result);
        assertLastError(ws, expected);
    }

    static List<WSAPROTOCOL_INFO> protocols(Winsock ws) {
        int[] len = {0};
        ws.WSAEnumProtocols(null, null, len);
        WSAPROTOCOL_INFO[] buf = WSAPROTOCOL_INFO.array(len[0]);
        int n = ws.WSAEnumProtocols(null, buf, len);
        List<WSAPROTOCOL_INFO> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(buf[i]);
        }
        return all;
    }

    static WSAPROTOCOL_INFO entryNamed(Winsock ws, String szProtocol) {
        for (WSAPROTOCOL_INFO p : protocols(ws)) {
            if (p.szProtocol.equals(szProtocol)) {
                return p;
            }
        }
        assertNotNull("no catalog entry named '" + szProtocol + "' in " + protocols(ws), null);
        return null;
    }

    /** The catalog entry a socket was made on (SO_PROTOCOL_INFO). */
    static String entryOf(Winsock ws, SOCKET s) {
        WSAPROTOCOL_INFO info = new WSAPROTOCOL_INFO();
        int[] len = {WSAPROTOCOL_INFO.SIZE};
        assertEquals(0, ws.getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFO, info, len));
        return info.szProtocol;
    }

    /** DS (un)registers providers asynchronously: waits, bounded, until the catalog shows an entry, or stops showing it. */
    static void awaitEntry(Winsock ws, String name, boolean present) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (protocols(ws).stream().anyMatch(p -> p.szProtocol.equals(name)) == present) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the catalog", e);
            }
        }
        throw new AssertionError("catalog entry '" + name + "' " + (present ? "never appeared" : "never left"));
    }
}
