package org.joinleaf.itests;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.itests.WinsockFixture.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The rooted conformance suite (groups D–G, I, J of the plan), run against every rooted provider: one subclass per
 * provider names its catalog entry and provisions its bundle. The root lives in the test's bundle, the leaves in
 * another bundle's Winsock process, so every session crosses a process boundary. Addresses are bound to port 0 and
 * read back with getsockname, so the suite runs on real networks as well as virtual ones.
 */
public abstract class RootedConformanceSuite {

    @Inject
    Winsock root;

    @Inject
    BundleContext context;

    private BundleContext leafContext;
    private ServiceReference<Winsock> leafRef;
    Winsock leaf;

    /** The rooted/rooted catalog entry under test. */
    abstract String rootedEntry();

    @Before
    public void processes() throws Exception {
        startup(root);
        for (Bundle b : context.getBundles()) {
            if ("org.joinleaf.provider.api".equals(b.getSymbolicName())) {
                leafContext = b.getBundleContext();
            }
        }
        leafRef = leafContext.getServiceReference(Winsock.class);
        leaf = leafContext.getService(leafRef);
        startup(leaf);
        awaitEntry(root, rootedEntry(), true);
    }

    @After
    public void cleanup() {
        cleanupAll(root);
        cleanupAll(leaf);
        leafContext.ungetService(leafRef);
    }

    // ---- helpers ----

    /** Binds {@code s} to a fresh loopback port and returns the address it got. */
    static SOCKADDR bindFresh(Winsock ws, SOCKET s) {
        assertEquals(0, ws.bind(s, SOCKADDR.of("127.0.0.1", 0), 16));
        SOCKADDR at = new SOCKADDR();
        int[] len = {16};
        assertEquals(0, ws.getsockname(s, at, len));
        return at;
    }

    static SOCKET socket(Winsock ws, String entryName, int flags) {
        WSAPROTOCOL_INFO e = entryNamed(ws, entryName);
        SOCKET s = ws.WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, e, 0, flags);
        assertNotEquals("WSASocket on " + entryName + " failed: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, s);
        return s;
    }

    static WSANETWORKEVENTS awaitEvents(Winsock ws, SOCKET s, WSAEVENT ev, int wanted) {
        WSANETWORKEVENTS all = new WSANETWORKEVENTS();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((all.lNetworkEvents & wanted) != wanted) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            assertTrue("timed out waiting for events 0x" + Integer.toHexString(wanted) + " on " + s + ", got " + all, left > 0);
            if (ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {ev}, false, (int) left, false) != WSA_WAIT_EVENT_0) {
                continue;
            }
            WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
            assertEquals(0, ws.WSAEnumNetworkEvents(s, ev, ne));
            all.lNetworkEvents |= ne.lNetworkEvents;
            for (int bit = 0; bit < FD_MAX_EVENTS; bit++) {
                if ((ne.lNetworkEvents & (1 << bit)) != 0) {
                    all.iErrorCode[bit] = ne.iErrorCode[bit];
                }
            }
        }
        return all;
    }

    private SOCKADDR rootAddress;

    /** A listening c_root with FD_ACCEPT selected. */
    private SOCKET listeningRoot(WSAEVENT ev) {
        SOCKET r = socket(root, rootedEntry(), ROOT);
        rootAddress = bindFresh(root, r);
        assertEquals(0, root.listen(r, 8));
        assertEquals(0, root.WSAEventSelect(r, ev, FD_ACCEPT | FD_CONNECT | FD_READ | FD_CLOSE));
        return r;
    }

    /** A leaf joined to a listening root (leaf-initiated, blocking), and the root's c_leaf for it. */
    private SOCKET[] joinLeaf(SOCKADDR rootAddr, int direction) throws Exception {
        SOCKET l = socket(leaf, rootedEntry(), LEAF);
        CompletableFuture<SOCKET> joined = CompletableFuture.supplyAsync(
                () -> leaf.WSAJoinLeaf(l, rootAddr, rootAddr.size(), null, null, null, null, direction));
        SOCKET c = acceptOne(ACCEPT_ALL);
        assertEquals(l, joined.get(10, TimeUnit.SECONDS));
        return new SOCKET[] {l, c};
    }

    private SOCKET acceptOne(LPCONDITIONPROC condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            SOCKET c = root.WSAAccept(rootSocket, null, null, condition, 0);
            if (c != SOCKET.INVALID_SOCKET || root.WSAGetLastError() != WSAEWOULDBLOCK) {
                return c;
            }
            root.WSAWaitForMultipleEvents(1, new WSAEVENT[] {rootEvent}, false, 100, false);
            root.WSAResetEvent(rootEvent);
        }
        throw new AssertionError("no join request reached the root");
    }

    private SOCKET rootSocket;
    private WSAEVENT rootEvent;

    SOCKADDR startRoot() {
        rootEvent = root.WSACreateEvent();
        rootSocket = listeningRoot(rootEvent);
        return rootAddress;
    }

    // ---- G: leaf-initiated joins and WSAAccept ----

    @Test
    public void g38_g39_g41_e23_e24_nonBlockingLeafJoinWithCallerAndCalleeData() {
        SOCKADDR at = startRoot();
        SOCKET l = socket(leaf, rootedEntry(), LEAF);
        WSAEVENT lev = leaf.WSACreateEvent();
        assertEquals(0, leaf.WSAEventSelect(l, lev, FD_CONNECT | FD_READ | FD_CLOSE));
        WSABUF callee = WSABUF.allocate(16);
        leaf.WSASetLastError(0);
        SOCKET r = leaf.WSAJoinLeaf(l, at, at.size(), WSABUF.of("abc".getBytes()), callee, null, null, JL_BOTH);
        assertEquals("R24: a c_leaf join returns s itself; R14: started at once", l, r);
        assertNotEquals("R14: never WSAEWOULDBLOCK", WSAEWOULDBLOCK, leaf.WSAGetLastError());

        awaitEvents(root, rootSocket, rootEvent, FD_ACCEPT);
        int[] seenCallerLen = {-1};
        SOCKADDR[] seenCaller = {null};
        SOCKET c = root.WSAAccept(rootSocket, null, null, (callerId, callerData, sqos, gqos, calleeId, calleeData, g, cb) -> {
            seenCallerLen[0] = callerData.len;
            seenCaller[0] = SOCKADDR.from(callerId);
            calleeData.buf[0] = 'x';
            calleeData.buf[1] = 'y';
            calleeData.len = 2;
            return CF_ACCEPT;
        }, 0);
        assertNotEquals(SOCKET.INVALID_SOCKET, c);
        assertEquals("G.41: caller data len", 3, seenCallerLen[0]);
        assertEquals(AF_INET, seenCaller[0].sa_family);

        WSANETWORKEVENTS ne = awaitEvents(leaf, l, lev, FD_CONNECT);
        assertEquals("E.24: FD_CONNECT succeeded", 0, ne.iErrorCode[FD_CONNECT_BIT]);
        assertEquals("G.41 / R30: callee len", 2, callee.len);
        assertArrayEquals("xy".getBytes(), Arrays.copyOf(callee.buf, 2));
        // E.27: a leaf joins once
        assertFails(leaf, WSAEISCONN, leaf.WSAJoinLeaf(l, at, at.size(), null, null, null, null, JL_BOTH));
    }

    @Test
    public void g40_e25_d20_rejectedJoinIsRefusedAndMayBeRetried_R22() throws Exception {
        SOCKADDR at = startRoot();
        SOCKET l = socket(leaf, rootedEntry(), LEAF);
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> {
            SOCKET r = leaf.WSAJoinLeaf(l, at, at.size(), null, null, null, null, JL_BOTH);
            return r == SOCKET.INVALID_SOCKET ? leaf.WSAGetLastError() : 0;
        });
        SOCKET refused = acceptOne((a, b, c2, d, e, f, g, h) -> CF_REJECT);
        assertEquals(SOCKET.INVALID_SOCKET, refused);
        assertLastError(root, WSAECONNREFUSED);
        assertEquals("D.20: the blocking join fails with WSAECONNREFUSED", Integer.valueOf(WSAECONNREFUSED), first.get(10, TimeUnit.SECONDS));
        // R22: retry on the same socket
        CompletableFuture<SOCKET> second = CompletableFuture.supplyAsync(
                () -> leaf.WSAJoinLeaf(l, at, at.size(), null, null, null, null, JL_BOTH));
        assertNotEquals(SOCKET.INVALID_SOCKET, acceptOne(ACCEPT_ALL));
        assertEquals(l, second.get(10, TimeUnit.SECONDS));
    }

    @Test
    public void d22_noCalleeDataMeansLenZero_R30() throws Exception {
        SOCKADDR at = startRoot();
        SOCKET l = socket(leaf, rootedEntry(), LEAF);
        WSABUF callee = WSABUF.allocate(32);
        CompletableFuture<SOCKET> joined = CompletableFuture.supplyAsync(
                () -> leaf.WSAJoinLeaf(l, at, at.size(), null, callee, null, null, JL_BOTH));
        acceptOne(ACCEPT_ALL);
        assertEquals(l, joined.get(10, TimeUnit.SECONDS));
        assertEquals(0, callee.len);
    }

    @Test
    public void e26_secondJoinWhilePendingIsAlready_R18() {
        SOCKADDR at = startRoot();
        SOCKET l = socket(leaf, rootedEntry(), LEAF);
        WSAEVENT lev = leaf.WSACreateEvent();
        assertEquals(0, leaf.WSAEventSelect(l, lev, FD_CONNECT));
        assertEquals(l, leaf.WSAJoinLeaf(l, at, at.size(), null, null, null, null, JL_BOTH));
        assertFails(leaf, WSAEALREADY, leaf.WSAJoinLeaf(l, at, at.size(), null, null, null, null, JL_BOTH));
        assertFails(leaf, WSAENOTCONN, leaf.send(l, new byte[1], 1, 0)); // decisions 7
        assertEquals("closesocket cancels (R25)", 0, leaf.closesocket(l));
    }

    // ---- F: root-initiated joins ----

    @Test
    public void f32_f33_f34_f35_f36_rootInvitesLeafAfterLeaf_R19_R21_R23_R26_R36() {
        SOCKADDR rootAt = startRoot(); // F.35: the root is listening and may still invite
        SOCKET[] leaves = new SOCKET[2];
        SOCKADDR[] leafAt = new SOCKADDR[2];
        WSAEVENT[] leafEv = new WSAEVENT[2];
        for (int i = 0; i < 2; i++) {
            leaves[i] = socket(leaf, rootedEntry(), LEAF);
            leafAt[i] = bindFresh(leaf, leaves[i]);
            assertEquals(0, leaf.listen(leaves[i], 4));
            leafEv[i] = leaf.WSACreateEvent();
            assertEquals(0, leaf.WSAEventSelect(leaves[i], leafEv[i], FD_ACCEPT | FD_CLOSE));
        }
        assertNotEquals(rootAt, leafAt[0]);

        SOCKET cA = root.WSAJoinLeaf(rootSocket, leafAt[0], 16, null, null, null, null, JL_BOTH);
        assertNotEquals(SOCKET.INVALID_SOCKET, cA);
        assertNotEquals("R23: a root join returns a new descriptor", rootSocket, cA);
        // R19: one invitation outstanding at a time
        assertFails(root, WSAEALREADY, root.WSAJoinLeaf(rootSocket, leafAt[1], 16, null, null, null, null, JL_BOTH));

        awaitEvents(leaf, leaves[0], leafEv[0], FD_ACCEPT);
        SOCKET memberA = leaf.WSAAccept(leaves[0], null, null, ACCEPT_ALL, 0);
        assertNotEquals(SOCKET.INVALID_SOCKET, memberA);
        WSANETWORKEVENTS ne = awaitEvents(root, rootSocket, rootEvent, FD_CONNECT);
        assertEquals("F.36: FD_CONNECT on r", 0, ne.iErrorCode[FD_CONNECT_BIT]);

        // R21: the next leaf once the previous join finished, no WSAEISCONN for a root
        SOCKET cB = root.WSAJoinLeaf(rootSocket, leafAt[1], 16, null, null, null, null, JL_BOTH);
        assertNotEquals(SOCKET.INVALID_SOCKET, cB);
        awaitEvents(leaf, leaves[1], leafEv[1], FD_ACCEPT);
        assertNotEquals(SOCKET.INVALID_SOCKET, leaf.WSAAccept(leaves[1], null, null, ACCEPT_ALL, 0));
        awaitEvents(root, rootSocket, rootEvent, FD_CONNECT);
    }

    @Test
    public void f37_leafRejectsInvitation_rootSeesConnRefused() {
        startRoot();
        SOCKET l = socket(leaf, rootedEntry(), LEAF);
        SOCKADDR leafAt = bindFresh(leaf, l);
        assertEquals(0, leaf.listen(l, 4));
        WSAEVENT lev = leaf.WSACreateEvent();
        assertEquals(0, leaf.WSAEventSelect(l, lev, FD_ACCEPT));
        SOCKET cA = root.WSAJoinLeaf(rootSocket, leafAt, 16, null, null, null, null, JL_BOTH);
        assertNotEquals(SOCKET.INVALID_SOCKET, cA);
        awaitEvents(leaf, l, lev, FD_ACCEPT);
        assertFails(leaf, WSAECONNREFUSED, leaf.WSAAccept(l, null, null, (a, b, c, d, e, f, g, h) -> CF_REJECT, 0));
        WSANETWORKEVENTS ne = awaitEvents(root, rootSocket, rootEvent, FD_CONNECT);
        assertEquals(WSAECONNREFUSED, ne.iErrorCode[FD_CONNECT_BIT]);
    }

    // ---- C, D, E: argument rules, refused joins, pending descriptors ----

    @Test
    public void c12_c13_c14_c18_r6_argumentRules() {
        SOCKADDR at = startRoot();
        SOCKET l = socket(leaf, rootedEntry(), LEAF);
        assertFails(leaf, WSAEFAULT, leaf.WSAJoinLeaf(l, at, 8, null, null, null, null, JL_BOTH)); // C.12
        assertFails(leaf, WSAEADDRNOTAVAIL, leaf.WSAJoinLeaf(l, SOCKADDR.any(AF_INET, at.port), 16, null, null, null,
                null, JL_BOTH)); // C.13
        assertFails(leaf, WSAEFAULT, leaf.WSAJoinLeaf(l, at, 16, WSABUF.of(new byte[1025]), null, null, null,
                JL_BOTH)); // C.14: over the provider's 1024-byte connect-data limit
        assertFails(leaf, WSAEINVAL, leaf.WSAJoinLeaf(l, at, 16, null, null, null, null, 0)); // C.18
        assertFails(leaf, WSAEAFNOSUPPORT, leaf.WSAJoinLeaf(l, SOCKADDR.of("::1", at.port), 28, null, null, null,
                null, JL_BOTH)); // R6
        // C.16: no XP1_QOS_SUPPORTED on this entry, and GUARANTEED asked
        org.joinleaf.api.QOS q = new org.joinleaf.api.QOS();
        q.SendingFlowspec.ServiceType = SERVICETYPE_GUARANTEED;
        q.SendingFlowspec.TokenRate = 1000;
        assertFails(leaf, WSAEOPNOTSUPP, leaf.WSAJoinLeaf(l, at, 16, null, null, q, null, JL_BOTH));
    }

    @Test
    public void d21_joinToNobodyIsRefusedAndMayBeRetried_R22() throws Exception {
        SOCKET gone = socket(root, rootedEntry(), ROOT);
        SOCKADDR nobody = bindFresh(root, gone);
        assertEquals(0, root.closesocket(gone));
        SOCKET l = socket(leaf, rootedEntry(), LEAF);
        assertFails(leaf, WSAECONNREFUSED, leaf.WSAJoinLeaf(l, nobody, 16, null, null, null, null, JL_BOTH));
        SOCKADDR at = startRoot();
        CompletableFuture<SOCKET> retry = CompletableFuture.supplyAsync(
                () -> leaf.WSAJoinLeaf(l, at, at.size(), null, null, null, null, JL_BOTH));
        assertNotEquals(SOCKET.INVALID_SOCKET, acceptOne(ACCEPT_ALL));
        assertEquals(l, retry.get(10, TimeUnit.SECONDS));
    }

    @Test
    public void e31_pendingRootDescriptorAllowsOnlyClosesocket_R25_decisions7() {
        startRoot();
        SOCKET l = socket(leaf, rootedEntry(), LEAF);
        SOCKADDR leafAt = bindFresh(leaf, l);
        assertEquals(0, leaf.listen(l, 4)); // listening, but never accepting: the invitation stays pending
        SOCKET cA = root.WSAJoinLeaf(rootSocket, leafAt, 16, null, null, null, null, JL_BOTH);
        assertNotEquals(SOCKET.INVALID_SOCKET, cA);
        assertFails(root, WSAENOTCONN, root.send(cA, new byte[1], 1, 0));
        assertFails(root, WSAENOTCONN, root.getpeername(cA, new SOCKADDR(), new int[] {16}));
        assertEquals("closesocket cancels the invitation", 0, root.closesocket(cA));
        SOCKET again = root.WSAJoinLeaf(rootSocket, leafAt, 16, null, null, null, null, JL_BOTH);
        assertNotEquals("the cancelled invitation no longer counts (R19)", SOCKET.INVALID_SOCKET, again);
        assertEquals(0, root.closesocket(again));
    }

    // ---- I: rooted data plane ----

    @Test
    public void i45_i46_i47_rootFansOutAndLeavesTalkOnlyToTheRoot() throws Exception {
        SOCKADDR at = startRoot();
        SOCKET[] l1 = joinLeaf(at, JL_BOTH);
        SOCKET[] l2 = joinLeaf(at, JL_BOTH);
        byte[] msg = "to-all".getBytes();
        assertEquals(msg.length, root.send(rootSocket, msg, msg.length, 0));
        byte[] in = new byte[32];
        assertEquals("I.45 L1 receives", msg.length, leaf.recv(l1[0], in, in.length, 0));
        assertEquals("I.45 L2 receives", msg.length, leaf.recv(l2[0], in, in.length, 0));

        byte[] up = "from-l1".getBytes();
        assertEquals(up.length, leaf.send(l1[0], up, up.length, 0));
        SOCKADDR from = new SOCKADDR();
        int[] fromlen = {SOCKADDR.SIZEOF_SOCKADDR_IN};
        awaitEvents(root, rootSocket, rootEvent, FD_READ); // the root is non-blocking (event-selected)
        assertEquals(up.length, root.recvfrom(rootSocket, in, in.length, 0, from, fromlen));
        assertEquals("from-l1", new String(in, 0, up.length));
        SOCKADDR l1Addr = new SOCKADDR();
        int[] len = {SOCKADDR.SIZEOF_SOCKADDR_IN};
        assertEquals(0, leaf.getsockname(l1[0], l1Addr, len));
        assertEquals("I.47: recvfrom names the leaf", l1Addr, from);
        // I.46: L2 got nothing from L1
        int[] avail = {0};
        assertEquals(0, leaf.ioctlsocket(l2[0], FIONREAD, avail));
        assertEquals(0, avail[0]);
    }

    @Test
    public void decisions6_directionIsEnforced() throws Exception {
        SOCKADDR at = startRoot();
        SOCKET[] receiverOnly = joinLeaf(at, JL_RECEIVER_ONLY);
        assertFails(leaf, WSAESHUTDOWN, leaf.send(receiverOnly[0], new byte[1], 1, 0));
        SOCKET[] senderOnly = joinLeaf(at, JL_SENDER_ONLY);
        assertFails(leaf, WSAESHUTDOWN, leaf.recv(senderOnly[0], new byte[1], 1, 0));
    }

    // ---- J: teardown ----

    @Test
    public void j48_closingTheRootClosesEveryLeaf() throws Exception {
        SOCKADDR at = startRoot();
        SOCKET[] a = joinLeaf(at, JL_BOTH);
        SOCKET[] b = joinLeaf(at, JL_BOTH);
        WSAEVENT la = leaf.WSACreateEvent();
        WSAEVENT lb = leaf.WSACreateEvent();
        assertEquals(0, leaf.WSAEventSelect(a[0], la, FD_CLOSE));
        assertEquals(0, leaf.WSAEventSelect(b[0], lb, FD_CLOSE));
        WSAEVENT ca = root.WSACreateEvent();
        assertEquals(0, root.WSAEventSelect(a[1], ca, FD_CLOSE));
        assertEquals(0, root.closesocket(rootSocket));
        awaitEvents(leaf, a[0], la, FD_CLOSE);
        awaitEvents(leaf, b[0], lb, FD_CLOSE);
        awaitEvents(root, a[1], ca, FD_CLOSE);
    }

    @Test
    public void j49_leafCloseReachesTheRootsCLeaf_R27() throws Exception {
        SOCKADDR at = startRoot();
        SOCKET[] a = joinLeaf(at, JL_BOTH);
        WSAEVENT ca = root.WSACreateEvent();
        assertEquals(0, root.WSAEventSelect(a[1], ca, FD_CLOSE));
        assertEquals(0, leaf.closesocket(a[0]));
        WSANETWORKEVENTS ne = awaitEvents(root, a[1], ca, FD_CLOSE);
        assertEquals(0, ne.iErrorCode[FD_CLOSE_BIT]);
    }
}
