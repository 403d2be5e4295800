package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.junit.Test;

/** Conformance A: startup, descriptors, the catalog and the per-thread last error (§4, R1, R2, decisions 13). */
public class StartupAndCatalogTest extends ScriptedRuntimeTest {

    @Test
    public void a1_joinBeforeStartupIsNotInitialised_R1() {
        WinsockProcess fresh = new WinsockProcess(catalog);
        try {
            SOCKET s = fresh.WSAJoinLeaf(SOCKET.of(0x100), GROUP, IN_LEN, null, null, null, null, JL_BOTH);
            assertEquals(SOCKET.INVALID_SOCKET, s);
            assertEquals(WSANOTINITIALISED, fresh.WSAGetLastError());
            assertEquals(SOCKET.INVALID_SOCKET, fresh.WSASocket(AF_INET, NP_TYPE, 0, null, 0, LEAF));
            assertEquals(WSANOTINITIALISED, fresh.WSAGetLastError());
            assertEquals(SOCKET_ERROR, fresh.WSACleanup());
            assertEquals(WSANOTINITIALISED, fresh.WSAGetLastError());
        } finally {
            fresh.terminate();
        }
    }

    @Test
    public void a1_joinAfterLastCleanupIsNotInitialised_R1() {
        SOCKET s = npLeaf();
        assertOk(ws.WSACleanup());
        assertFails(WSANOTINITIALISED, join(s, GROUP, null, null, JL_BOTH));
    }

    @Test
    public void a2_unknownDescriptorIsNotSock_R2() {
        assertFails(WSAENOTSOCK, join(SOCKET.of(0x7FFF_FFF0L), GROUP, null, null, JL_BOTH));
        assertFails(WSAENOTSOCK, join(null, GROUP, null, null, JL_BOTH));
        SOCKET closed = npLeaf();
        assertOk(ws.closesocket(closed));
        assertFails(WSAENOTSOCK, join(closed, GROUP, null, null, JL_BOTH));
    }

    @Test
    public void a2_descriptorOfAnotherBundleIsNotSock_R2() {
        WinsockProcess otherBundle = new WinsockProcess(catalog);
        try {
            assertEquals(0, otherBundle.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
            SOCKET theirs = otherBundle.WSASocket(AF_INET, NP_TYPE, 0, null, 0, LEAF);
            assertNotEquals(SOCKET.INVALID_SOCKET, theirs);
            assertFails(WSAENOTSOCK, join(theirs, GROUP, null, null, JL_BOTH));
            assertFails(WSAENOTSOCK, ws.closesocket(theirs));
            WSAEVENT theirEvent = otherBundle.WSACreateEvent();
            assertFalse(ws.WSASetEvent(theirEvent));
            assertLastError(WSA_INVALID_HANDLE);
        } finally {
            otherBundle.terminate();
        }
    }

    @Test
    public void a3_enumProtocolsTooSmallThenRightSize_s3() {
        int[] len = {WSAPROTOCOL_INFO.SIZE - 1};
        assertFails(WSAENOBUFS, ws.WSAEnumProtocols(null, WSAPROTOCOL_INFO.array(len[0]), len));
        assertEquals(2 * WSAPROTOCOL_INFO.SIZE, len[0]);

        int[] nullBufferLen = {0};
        assertFails(WSAENOBUFS, ws.WSAEnumProtocols(null, null, nullBufferLen));
        assertEquals(2 * WSAPROTOCOL_INFO.SIZE, nullBufferLen[0]);

        WSAPROTOCOL_INFO[] buf = WSAPROTOCOL_INFO.array(len[0]);
        assertEquals(2, ws.WSAEnumProtocols(null, buf, len));
        assertEquals("P-np", buf[0].szProtocol);
        assertEquals("P-rr", buf[1].szProtocol);
    }

    @Test
    public void a4_enumShowsFlagsAndHidesHiddenAndLayeredEntries_s4() {
        ScriptedProvider extra = ScriptedProvider.withJoin()
                .entry("hidden", AF_INET, SOCK_DGRAM, IPPROTO_UDP, NP_FLAGS);
        extra.lastEntry().dwProviderFlags = PFL_HIDDEN;
        extra.entry("layer", AF_INET, SOCK_DGRAM, IPPROTO_UDP, NP_FLAGS);
        extra.lastEntry().ProtocolChain.ChainLen = LAYERED_PROTOCOL;
        extra.entry("chain", AF_INET, SOCK_DGRAM, IPPROTO_UDP, NP_FLAGS);
        extra.lastEntry().ProtocolChain.ChainLen = 2;
        catalog.add(extra, "extra", 0, 3L);

        List<String> names = new ArrayList<>();
        for (WSAPROTOCOL_INFO i : enumAll()) {
            names.add(i.szProtocol);
            if (i.szProtocol.equals("P-np")) {
                assertEquals(0x400, i.dwServiceFlags1);
            } else if (i.szProtocol.equals("P-rr")) {
                assertEquals(0x400 | 0x800 | 0x1000, i.dwServiceFlags1 & (0x400 | 0x800 | 0x1000));
                assertNotEquals(np.id(), i.ProviderId);
                assertEquals(rr.id(), i.ProviderId);
            }
            assertTrue("catalog ids start at 1001", i.dwCatalogEntryId >= 1001);
        }
        assertEquals(List.of("P-np", "P-rr", "chain"), names);
    }

    @Test
    public void a4_protocolFilterListEndsAtZero_s4() {
        int[] len = {10 * WSAPROTOCOL_INFO.SIZE};
        WSAPROTOCOL_INFO[] buf = WSAPROTOCOL_INFO.array(len[0]);
        assertEquals(1, ws.WSAEnumProtocols(new int[] {IPPROTO_RM, 0, IPPROTO_UDP}, buf, len));
        assertEquals("P-rr", buf[0].szProtocol);
    }

    @Test
    public void startupsAreCountedAndOnlyTheLastCleanupTearsDown_s4() {
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        SOCKET s = npLeaf();
        assertOk(ws.WSACleanup());
        assertNotEquals(SOCKET.INVALID_SOCKET, ws.WSASocket(AF_INET, NP_TYPE, 0, null, 0, LEAF));
        assertOk(ws.ioctlsocket(s, FIONBIO, new int[] {1}));
        assertOk(ws.WSACleanup());
        assertFails(WSANOTINITIALISED, ws.ioctlsocket(s, FIONBIO, new int[] {1}));
        assertFails(WSANOTINITIALISED, ws.WSACleanup());
    }

    @Test
    public void startupNegotiatesTheVersion_s4() {
        WSADATA d = new WSADATA();
        assertEquals(0, ws.WSAStartup(MAKEWORD(1, 1), d));
        assertEquals(MAKEWORD(1, 1), d.wVersion);
        assertEquals(MAKEWORD(2, 2), d.wHighVersion);
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 0), d));
        assertEquals(MAKEWORD(2, 0), d.wVersion);
        assertEquals(0, ws.WSAStartup(MAKEWORD(3, 1), d));
        assertEquals(MAKEWORD(2, 2), d.wVersion);
        ws.WSASetLastError(0);
        assertEquals(WSAVERNOTSUPPORTED, ws.WSAStartup(MAKEWORD(0, 9), d));
        assertEquals(WSAEFAULT, ws.WSAStartup(MAKEWORD(2, 2), null));
        assertEquals("WSAStartup returns its error directly", 0, ws.WSAGetLastError());
        // the three successful startups above each need their own cleanup before the fixture's one is the last
        for (int i = 0; i < 3; i++) {
            assertOk(ws.WSACleanup());
        }
        npLeaf();
    }

    @Test
    public void lastErrorIsPerThread_s4() throws Exception {
        assertFails(WSAENOTSOCK, ws.closesocket(SOCKET.of(0x7FFF_FFF0L)));
        Outcome<Integer> other = result(inBackground(() -> {
            int before = ws.WSAGetLastError();
            ws.WSAEnumProtocols(null, null, new int[1]); // WSAENOBUFS on that thread only
            return before;
        }));
        assertEquals("a new thread starts with no error", 0, (int) other.value);
        assertEquals(WSAENOBUFS, other.lastError);
        assertLastError(WSAENOTSOCK);
        ws.WSASetLastError(0);
        assertLastError(0);
    }

    @Test
    public void lastErrorWorksBeforeStartup_s4() {
        WinsockProcess fresh = new WinsockProcess(catalog);
        try {
            fresh.WSASetLastError(WSAEINTR);
            assertEquals(WSAEINTR, fresh.WSAGetLastError());
        } finally {
            fresh.terminate();
        }
    }

    @Test
    public void lastCleanupClosesSocketsSilently_decisions13() {
        SOCKET s = npLeaf();
        ScriptedProvider.ScriptedSocket transport = np.lastSocket();
        WSAEVENT e = select(s, FD_READ | FD_CLOSE);
        assertOk(ws.WSACleanup());
        assertEquals("the provider saw closesocket", 1, transport.closes());
        transport.post(FD_CLOSE_BIT, 0); // too late: the socket is gone
        transport.deliver(new byte[] {1});

        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        assertEquals("the last cleanup left no descriptor", 0, ws.socketCount());
        assertFails(WSAENOTSOCK, ws.WSAEnumNetworkEvents(s, null, new WSANETWORKEVENTS()));
        // decisions 18 (issue 12 replaced "event objects die with the cleanup"): the handle lives until
        // WSACloseEvent, and nothing the closed socket's provider reported signalled it
        assertFalse("the late reports signalled nothing", isSignalled(e));
        assertTrue("the event object outlives the cleanup", ws.WSASetEvent(e));
    }

    @Test
    public void lastCleanupWakesBlockedCallsWithoutNotifications_decisions13() throws Exception {
        SOCKET joiner = npLeaf();
        SOCKET reader = npLeaf();
        WSAEVENT e = ws.WSACreateEvent();
        Future<Outcome<SOCKET>> join = inBackground(() -> join(joiner, GROUP, null, null, JL_BOTH));
        ScriptedProvider.Join j = np.nextJoin();
        Future<Outcome<Integer>> recv = inBackground(() -> ws.recv(reader, new byte[4], 4, 0));
        assertFalse(recv.isDone());
        assertOk(ws.WSACleanup());

        assertEquals(SOCKET.INVALID_SOCKET, result(join).value);
        assertEquals(SOCKET_ERROR, (int) result(recv).value);
        j.complete(null); // ignored: the process ended
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        // decisions 18: the event object is still valid, and neither the cleanup nor the late completion set it
        assertEquals(WSA_WAIT_TIMEOUT, ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {e}, false, 0, false));
    }

    @Test
    public void soErrorReportsTheLastAsynchronousErrorOnceAndClearsTheThreadError_s4() {
        SOCKET s = npLeaf();
        np.lastSocket().post(FD_CLOSE_BIT, WSAECONNRESET);
        ws.WSASetLastError(WSAEINTR);
        int[] err = new int[1];
        assertOk(ws.getsockopt(s, SOL_SOCKET, SO_ERROR, err, new int[] {4}));
        assertEquals(WSAECONNRESET, err[0]);
        assertLastError(0);
        assertOk(ws.getsockopt(s, SOL_SOCKET, SO_ERROR, err, new int[] {4}));
        assertEquals(0, err[0]);
    }

    private WSAPROTOCOL_INFO[] enumAll() {
        int[] len = {0};
        ws.WSAEnumProtocols(null, null, len);
        WSAPROTOCOL_INFO[] buf = WSAPROTOCOL_INFO.array(len[0]);
        int n = ws.WSAEnumProtocols(null, buf, len);
        assertEquals(buf.length, n);
        return buf;
    }
}
