package org.joinleaf.tcp;

import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.util.Arrays;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.Test;

/** Joins through the SPI: leaf-initiated, root-initiated, data lengths, failures (§1.4, §3 R4-R31, decisions 8). */
public class JoinTest extends ProviderFixture {

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.joinTimeoutMillis = 500;
        b.maxConnectData = 64;
        return b;
    }

    @Test // issue item 1: four entries, one ProviderId, rooted and relayed flags, dwMessageSize
    public void catalogHasRootedAndRelayedEntriesForBothFamilies() {
        assertEquals(4, provider.protocols().size());
        for (WSAPROTOCOL_INFO e : provider.protocols()) {
            assertEquals(TcpProvider.PROVIDER_ID, e.ProviderId);
            assertEquals(Winsock2.SOCK_STREAM, e.iSocketType);
            assertEquals(Winsock2.IPPROTO_TCP, e.iProtocol);
            assertEquals(65536, e.dwMessageSize);
            assertTrue(e.has(Winsock2.XP1_SUPPORT_MULTIPOINT | Winsock2.XP1_MULTIPOINT_CONTROL_PLANE
                    | Winsock2.XP1_CONNECT_DATA | Winsock2.XP1_GUARANTEED_DELIVERY | Winsock2.XP1_GUARANTEED_ORDER
                    | Winsock2.XP1_MESSAGE_ORIENTED));
            assertEquals(e.szProtocol.equals(TcpProvider.ROOTED), e.has(Winsock2.XP1_MULTIPOINT_DATA_PLANE));
        }
        assertEquals(Winsock2.AF_INET6, entry(Winsock2.AF_INET6, false).iAddressFamily);
    }

    @Test // §1.4 way 2, R24, R29, R30, scenario: leaf-initiated join with caller and callee data
    public void leafInitiatedJoinCarriesCallerAndCalleeData() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        RecordingUpcalls leafUp = new RecordingUpcalls("leaf");
        MultipointSocket leaf = socket(true, C_LEAF_D_LEAF, leafUp);
        RecordingCompletion done = new RecordingCompletion();
        leaf.join(request(root.localAddress(), bytes("caller-16-bytes!"), Winsock2.JL_BOTH, null), done);

        ConnectionRequest req = awaitRequest(root, rootUp);
        assertArrayEquals(bytes("caller-16-bytes!"), req.callerData());
        assertEquals(leaf.localAddress(), req.callerAddress());
        assertEquals(64, req.calleeDataCapacity());
        assertFalse("the leaf completes only when ACCEPT arrives", done.finished());
        ProviderSocket link = req.accept(bytes("callee"), new RecordingUpcalls("link"));
        assertNull("the request left the queue", root.pendingRequest());
        assertArrayEquals(bytes("callee"), done.awaitConnected());
        assertEquals(leaf.localAddress(), link.peerAddress());
        assertEquals(root.localAddress(), leaf.peerAddress());
    }

    @Test // R29/R30: no caller data -> null at the root; no callee data -> empty at the leaf (len 0)
    public void absentConnectDataStaysAbsent() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        MultipointSocket leaf = socket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        RecordingCompletion done = new RecordingCompletion();
        leaf.join(request(root.localAddress(), null, Winsock2.JL_BOTH, null), done);
        ConnectionRequest req = awaitRequest(root, rootUp);
        assertNull(req.callerData());
        req.accept(null, new RecordingUpcalls("link"));
        assertEquals(0, done.awaitConnected().length);
    }

    @Test // decisions 8, R22: CF_REJECT -> WSAECONNREFUSED at the leaf; the leaf may join again
    public void rejectedJoinIsRefusedAndRetryable() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        MultipointSocket leaf = socket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        RecordingCompletion refused = new RecordingCompletion();
        leaf.join(request(root.localAddress(), null, Winsock2.JL_BOTH, null), refused);
        awaitRequest(root, rootUp).reject();
        refused.awaitFailed(Winsock2.WSAECONNREFUSED);
        assertNull(root.pendingRequest());

        RecordingCompletion second = new RecordingCompletion();
        leaf.join(request(root.localAddress(), null, Winsock2.JL_BOTH, null), second);
        awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link"));
        second.awaitConnected();
    }

    @Test // CF_DEFER: a request nobody answers stays queued; the leaf's deadline gives WSAETIMEDOUT (R15, R22)
    public void unansweredJoinTimesOut() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        MultipointSocket leaf = socket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        RecordingCompletion done = new RecordingCompletion();
        leaf.join(request(root.localAddress(), null, Winsock2.JL_BOTH, null), done);
        ConnectionRequest deferred = awaitRequest(root, rootUp);
        done.awaitFailed(Winsock2.WSAETIMEDOUT);
        // the leaf gave up: the root's late accept sees the withdrawal (ConnectionRequest pitfall)
        rootUp.until("withdrawn request", () -> root.pendingRequest() == null);
        expectWsa(Winsock2.WSAECONNRESET, () -> deferred.accept(null, new RecordingUpcalls("late")));
    }

    @Test // R15: a refused TCP connect is WSAECONNREFUSED, reported through the completion
    public void refusedConnectIsReportedAsync() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        MultipointSocket leaf = socket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        RecordingCompletion done = new RecordingCompletion();
        leaf.join(request(SOCKADDR.of("127.0.0.1", closedPort), null, Winsock2.JL_BOTH, null), done);
        done.awaitFailed(Winsock2.WSAECONNREFUSED);
    }

    @Test // R4: caller data over the provider's limit -> WSAEFAULT synchronously, nothing sent
    public void callerDataOverLimitIsFault() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        MultipointSocket leaf = socket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        RecordingCompletion done = new RecordingCompletion();
        expectWsa(Winsock2.WSAEFAULT,
                () -> leaf.join(request(root.localAddress(), new byte[65], Winsock2.JL_BOTH, null), done));
        assertFalse(done.finished());
        assertNull(root.pendingRequest());
    }

    @Test // R10: an explicitly bound c_leaf joins from its bound address
    public void boundLeafJoinsFromItsAddress() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        MultipointSocket leaf = socket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        leaf.bind(SOCKADDR.of("127.0.0.1", 0));
        SOCKADDR bound = leaf.localAddress();
        RecordingCompletion done = new RecordingCompletion();
        leaf.join(request(root.localAddress(), null, Winsock2.JL_BOTH, null), done);
        ConnectionRequest req = awaitRequest(root, rootUp);
        assertEquals(bound, req.callerAddress());
        req.accept(null, new RecordingUpcalls("link"));
        done.awaitConnected();
        assertEquals(bound, leaf.localAddress());
    }

    @Test // issue item 1: the AF_INET6 entries join over ::1 (skipped where the host has no IPv6 loopback)
    public void ipv6EntryJoinsOverLoopback() throws Exception {
        org.junit.Assume.assumeTrue(ipv6Loopback());
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = (MultipointSocket) provider.socket(entry(Winsock2.AF_INET6, true), C_ROOT_D_ROOT,
                rootUp);
        MultipointSocket leaf = (MultipointSocket) provider.socket(entry(Winsock2.AF_INET6, true), C_LEAF_D_LEAF,
                new RecordingUpcalls("leaf"));
        try {
            root.bind(SOCKADDR.of("::1", 0));
            root.listen(1);
            RecordingCompletion done = new RecordingCompletion();
            leaf.join(request(root.localAddress(), null, Winsock2.JL_BOTH, null), done);
            awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link"));
            done.awaitConnected();
            assertEquals(Winsock2.AF_INET6, leaf.localAddress().sa_family);
        } finally {
            leaf.close();
            root.close();
        }
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("::1"))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test // R11: bind to an address in use -> WSAEADDRINUSE
    public void bindToAddressInUseFails() throws Exception {
        MultipointSocket root = listeningRoot(true, new RecordingUpcalls("root"));
        MultipointSocket other = socket(true, C_ROOT_D_ROOT, new RecordingUpcalls("other"));
        expectWsa(Winsock2.WSAEADDRINUSE, () -> other.bind(root.localAddress()));
    }

    @Test // §1.4 way 1, R23, R21: root invites a listening leaf; new c_leaf per leaf; callee data back
    public void rootInitiatedJoinInvitesListeningLeaves() throws Exception {
        MultipointSocket root = socket(true, C_ROOT_D_ROOT, new RecordingUpcalls("root"));
        for (int i = 0; i < 2; i++) { // one invitation at a time, then the next (R21)
            RecordingUpcalls leafUp = new RecordingUpcalls("leaf" + i);
            MultipointSocket listener = socket(true, C_LEAF_D_LEAF, leafUp);
            listener.bind(SOCKADDR.of("127.0.0.1", 0));
            listener.listen(5);
            RecordingUpcalls linkUp = new RecordingUpcalls("link" + i);
            RecordingCompletion done = new RecordingCompletion();
            ProviderSocket link = root.join(request(listener.localAddress(), bytes("invite" + i), Winsock2.JL_BOTH,
                    linkUp), done);
            assertNotSame("c_root join returns a new socket (R23)", root, link);

            ConnectionRequest invite = awaitRequest(listener, leafUp);
            assertArrayEquals(bytes("invite" + i), invite.callerData());
            RecordingUpcalls memberUp = new RecordingUpcalls("member" + i);
            ProviderSocket member = invite.accept(bytes("yes" + i), memberUp);
            assertArrayEquals(bytes("yes" + i), done.awaitConnected());

            send(root, "hello" + i);
            assertEquals("hello" + i, receive(member, memberUp, null));
            send(member, "back" + i);
            SOCKADDR from = new SOCKADDR();
            assertEquals("back" + i, receive(root, new RecordingUpcalls("unused"), from));
            assertEquals(link.peerAddress(), listener.localAddress());
            member.close();
        }
    }

    @Test // decisions 8: a leaf refusing an invitation -> WSAECONNREFUSED at the root
    public void refusedInvitationIsRefused() throws Exception {
        MultipointSocket root = socket(true, C_ROOT_D_ROOT, new RecordingUpcalls("root"));
        RecordingUpcalls leafUp = new RecordingUpcalls("leaf");
        MultipointSocket listener = socket(true, C_LEAF_D_LEAF, leafUp);
        listener.bind(SOCKADDR.of("127.0.0.1", 0));
        listener.listen(5);
        RecordingCompletion done = new RecordingCompletion();
        root.join(request(listener.localAddress(), null, Winsock2.JL_BOTH, new RecordingUpcalls("link")), done);
        awaitRequest(listener, leafUp).reject();
        done.awaitFailed(Winsock2.WSAECONNREFUSED);
    }

    @Test // R25 / SPI: closesocket cancels a pending join; no completion follows
    public void closeCancelsPendingJoin() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        MultipointSocket leaf = socket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        RecordingCompletion done = new RecordingCompletion();
        leaf.join(request(root.localAddress(), null, Winsock2.JL_BOTH, null), done);
        ConnectionRequest req = awaitRequest(root, rootUp);
        leaf.close();
        rootUp.until("withdrawn request", () -> root.pendingRequest() == null);
        expectWsa(Winsock2.WSAECONNRESET, () -> req.accept(null, new RecordingUpcalls("late")));
        assertFalse("no completion after cancel", done.finished());
        assertTrue(Arrays.asList(0, 1).contains(rootUp.count(Winsock2.FD_ACCEPT_BIT)));
    }
}
