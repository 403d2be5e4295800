package org.joinleaf.local;

import static org.joinleaf.local.Harness.addr;
import static org.joinleaf.local.Harness.receive;
import static org.joinleaf.local.Harness.request;
import static org.joinleaf.local.Harness.send;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.local.Harness.Sock;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.After;
import org.junit.Test;

/** Control plane of the rooted entries: leaf-initiated and root-initiated joins (conformance groups D, E, F, G). */
public class RootedJoinTest {
    private Harness h = new Harness();

    @After
    public void stop() {
        h.close();
    }

    private Harness withTimeout(int millis) {
        h.close();
        h = new Harness(Harness.settings(millis, 16, SlowLeafPolicy.EVICT));
        return h;
    }

    // Scenarios 38, 39, 41; §3 R10, R24, R29–R31
    @Test
    public void leafInitiatedJoinIsAcceptedWithCalleeDataRoundTrip() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        RecordingCompletion joined = new RecordingCompletion();

        ProviderSocket result = leaf.mp().join(request(addr(7000), bytes("abc"), Winsock2.JL_BOTH), joined);

        assertSame("a c_leaf join returns the socket itself (R24)", leaf.socket(), result);
        SOCKADDR leafAddress = leaf.socket().localAddress();
        assertNotNull("implicit bind (R10)", leafAddress);
        assertTrue(leafAddress.port >= AddressSpace.FIRST_EPHEMERAL);
        assertEquals(0, root.events().await(Winsock2.FD_ACCEPT_BIT));
        ConnectionRequest r = root.socket().pendingRequest();
        assertArrayEquals(bytes("abc"), r.callerData());
        assertEquals(leafAddress, r.callerAddress());
        assertEquals(1024, r.calleeDataCapacity());
        assertEquals(0, joined.calls());

        RecordingUpcalls linkEvents = new RecordingUpcalls();
        ProviderSocket link = r.accept(bytes("xy"), linkEvents);

        assertArrayEquals(bytes("xy"), joined.awaitConnected());
        assertNull("the request left the backlog", root.socket().pendingRequest());
        assertEquals(leafAddress, link.peerAddress());
        assertEquals(addr(7000), leaf.socket().peerAddress());
        assertEquals(addr(7000), link.localAddress());
    }

    // Scenario 40, decisions 8, §3 R22
    @Test
    public void rejectedLeafSeesConnRefusedAndMayRetry() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        RecordingCompletion first = new RecordingCompletion();
        leaf.mp().join(request(addr(7000), null, Winsock2.JL_BOTH), first);
        root.events().await(Winsock2.FD_ACCEPT_BIT);

        root.socket().pendingRequest().reject();

        assertEquals(Winsock2.WSAECONNREFUSED, first.awaitFailed());
        assertNull(root.socket().pendingRequest());
        RecordingCompletion retry = new RecordingCompletion();
        leaf.mp().join(request(addr(7000), null, Winsock2.JL_BOTH), retry);
        root.events().await(Winsock2.FD_ACCEPT_BIT);
        root.socket().pendingRequest().accept(null, new RecordingUpcalls());
        assertNull("no reply data (R30)", retry.awaitConnected());
    }

    // Scenario 21, §3 R22, §4 WSAAccept WSAEACCES
    @Test
    public void unansweredJoinTimesOutAndLateAcceptIsRefused() throws Exception {
        withTimeout(50);
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        RecordingCompletion joined = new RecordingCompletion();
        leaf.mp().join(request(addr(7000), null, Winsock2.JL_BOTH), joined);
        root.events().await(Winsock2.FD_ACCEPT_BIT);
        ConnectionRequest peeked = root.socket().pendingRequest();

        assertEquals(Winsock2.WSAETIMEDOUT, joined.awaitFailed());

        assertNull("the request was withdrawn", root.socket().pendingRequest());
        expectWsa(Winsock2.WSAEACCES, () -> peeked.accept(null, new RecordingUpcalls()));
        assertEquals("root and leaf only: no member appeared", 2, h.network().openSockets());
    }

    // Decisions 7, §3 R25 (closesocket cancels), §4 WSAAccept WSAECONNRESET
    @Test
    public void leafClosingWhileQueuedWithdrawsItsRequest() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        RecordingCompletion joined = new RecordingCompletion();
        leaf.mp().join(request(addr(7000), null, Winsock2.JL_BOTH), joined);
        root.events().await(Winsock2.FD_ACCEPT_BIT);
        ConnectionRequest peeked = root.socket().pendingRequest();

        leaf.socket().close();

        assertNull(root.socket().pendingRequest());
        expectWsa(Winsock2.WSAECONNRESET, () -> peeked.accept(null, new RecordingUpcalls()));
        assertEquals("no completion after cancel", 0, joined.calls());
        assertEquals("only the root is left", 1, h.network().openSockets());
    }

    // Scenarios 20, 21 (WSAENETUNREACH), §3 R15
    @Test
    public void joinsToNoListeningRootOrForeignAddressFail() throws Exception {
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        RecordingCompletion nobody = new RecordingCompletion();
        leaf.mp().join(request(addr(7001), null, Winsock2.JL_BOTH), nobody);
        assertEquals(Winsock2.WSAECONNREFUSED, nobody.awaitFailed());

        Sock notListening = h.socket(LocalCatalog.ROOTED,
                Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT | Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT);
        notListening.socket().bind(addr(7002));
        RecordingCompletion idle = new RecordingCompletion();
        leaf.mp().join(request(addr(7002), null, Winsock2.JL_BOTH), idle);
        assertEquals(Winsock2.WSAECONNREFUSED, idle.awaitFailed());

        Sock otherScheme = h.listeningRoot(LocalCatalog.RELAYED, 7003);
        RecordingCompletion mismatch = new RecordingCompletion();
        leaf.mp().join(request(addr(7003), null, Winsock2.JL_BOTH), mismatch);
        assertEquals(Winsock2.WSAECONNREFUSED, mismatch.awaitFailed());
        assertNull(otherScheme.socket().pendingRequest());

        RecordingCompletion foreign = new RecordingCompletion();
        leaf.mp().join(request(SOCKADDR.of("10.1.2.3", 7000), null, Winsock2.JL_BOTH), foreign);
        assertEquals(Winsock2.WSAENETUNREACH, foreign.awaitFailed());
    }

    // RequestQueue bound (reliability: join flood)
    @Test
    public void fullBacklogRefusesFurtherJoins() throws Exception {
        Sock root = h.socket(LocalCatalog.ROOTED,
                Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT | Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT);
        root.socket().bind(addr(7000));
        root.socket().listen(1);
        RecordingCompletion queued = new RecordingCompletion();
        h.leaf(LocalCatalog.ROOTED).mp().join(request(addr(7000), null, Winsock2.JL_BOTH), queued);
        RecordingCompletion refused = new RecordingCompletion();

        h.leaf(LocalCatalog.ROOTED).mp().join(request(addr(7000), null, Winsock2.JL_BOTH), refused);

        assertEquals(Winsock2.WSAECONNREFUSED, refused.awaitFailed());
        assertEquals(0, queued.calls());
    }

    // Scenario 14, §3 R4
    @Test
    public void callerDataOverTheLimitIsRefusedSynchronously() throws Exception {
        h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        RecordingCompletion joined = new RecordingCompletion();

        expectWsa(Winsock2.WSAEFAULT,
                () -> leaf.mp().join(request(addr(7000), new byte[1025], Winsock2.JL_BOTH), joined));

        assertEquals(0, joined.calls());
        leaf.mp().join(request(addr(7000), new byte[1024], Winsock2.JL_BOTH), joined);
        ConnectionRequest r = h.network().addresses.owner(addr(7000)).pendingRequest();
        expectWsa(Winsock2.WSAEFAULT, () -> r.accept(new byte[1025], new RecordingUpcalls()));
        r.accept(new byte[1024], new RecordingUpcalls());
        assertEquals(1024, joined.awaitConnected().length);
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7001);
        expectWsa(Winsock2.WSAEFAULT, () -> root.mp().join(new ConnectRequest(addr(7002), new byte[1025], 0,
                null, Winsock2.JL_BOTH, new RecordingUpcalls()), joined));
        assertEquals(1, joined.calls());
    }

    // Scenarios 32, 36; §1.4 case 1, §3 R23, R37
    @Test
    public void rootInvitesListeningLeafWhichAccepts() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        leaf.socket().bind(addr(7100));
        leaf.socket().listen(4);
        RecordingUpcalls linkEvents = new RecordingUpcalls();
        RecordingCompletion invited = new RecordingCompletion();

        ProviderSocket link = root.mp().join(new ConnectRequest(addr(7100), bytes("hello"), 64, null,
                Winsock2.JL_BOTH, linkEvents), invited);

        assertNotSame("a c_root join returns a new socket (R23)", root.socket(), link);
        assertEquals(0, leaf.events().await(Winsock2.FD_ACCEPT_BIT));
        ConnectionRequest r = leaf.socket().pendingRequest();
        assertEquals(addr(7000), r.callerAddress());
        assertArrayEquals(bytes("hello"), r.callerData());
        expectWsa(Winsock2.WSAENOTCONN, () -> send(link, "too early"));
        RecordingUpcalls memberEvents = new RecordingUpcalls();
        ProviderSocket member = r.accept(bytes("ok"), memberEvents);

        assertArrayEquals(bytes("ok"), invited.awaitConnected());
        assertEquals(addr(7100), link.peerAddress());
        assertEquals(addr(7000), member.peerAddress());
        assertEquals(addr(7100), member.localAddress());
        assertTrue("the leaf keeps listening", leaf.socket().isListening());
        send(root.socket(), "to all");
        memberEvents.await(Winsock2.FD_READ_BIT);
        assertEquals("to all", receive(member, null));
        send(link, "side chat");
        assertEquals("side chat", receive(member, null));
        send(member, "up");
        assertEquals("up", receive(root.socket(), null));
    }

    // Scenario 33, §3 R21: a root adds leaf after leaf
    @Test
    public void rootInvitesSecondLeafAfterTheFirstJoined() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        ProviderSocket[] links = new ProviderSocket[2];
        for (int i = 0; i < 2; i++) {
            Sock leaf = h.leaf(LocalCatalog.ROOTED);
            leaf.socket().bind(addr(7100 + i));
            leaf.socket().listen(1);
            RecordingCompletion invited = new RecordingCompletion();
            links[i] = root.mp().join(new ConnectRequest(addr(7100 + i), null, 0, null, Winsock2.JL_BOTH,
                    new RecordingUpcalls()), invited);
            leaf.events().await(Winsock2.FD_ACCEPT_BIT);
            leaf.socket().pendingRequest().accept(null, new RecordingUpcalls());
            invited.awaitConnected();
        }
        assertNotSame(links[0], links[1]);
        assertEquals(addr(7101), links[1].peerAddress());
    }

    // Scenario 37, decisions 8; invitation to an absent leaf; invitation timeout
    @Test
    public void rootInvitationRejectedAbsentOrUnansweredFails() throws Exception {
        withTimeout(50);
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        leaf.socket().bind(addr(7100));
        leaf.socket().listen(4);

        RecordingCompletion rejected = new RecordingCompletion();
        root.mp().join(new ConnectRequest(addr(7100), null, 0, null, Winsock2.JL_BOTH, new RecordingUpcalls()),
                rejected);
        leaf.events().await(Winsock2.FD_ACCEPT_BIT);
        leaf.socket().pendingRequest().reject();
        assertEquals(Winsock2.WSAECONNREFUSED, rejected.awaitFailed());

        RecordingCompletion absent = new RecordingCompletion();
        root.mp().join(new ConnectRequest(addr(7199), null, 0, null, Winsock2.JL_BOTH, new RecordingUpcalls()),
                absent);
        assertEquals(Winsock2.WSAECONNREFUSED, absent.awaitFailed());

        RecordingCompletion unanswered = new RecordingCompletion();
        root.mp().join(new ConnectRequest(addr(7100), null, 0, null, Winsock2.JL_BOTH, new RecordingUpcalls()),
                unanswered);
        assertEquals(Winsock2.WSAETIMEDOUT, unanswered.awaitFailed());
        assertNull(leaf.socket().pendingRequest());
    }

    // §3 R25: closing the root's pending c_leaf cancels the invitation
    @Test
    public void closingPendingInvitationWithdrawsIt() throws Exception {
        Sock root = h.listeningRoot(LocalCatalog.ROOTED, 7000);
        Sock leaf = h.leaf(LocalCatalog.ROOTED);
        leaf.socket().bind(addr(7100));
        leaf.socket().listen(4);
        RecordingCompletion invited = new RecordingCompletion();
        ProviderSocket link = root.mp().join(new ConnectRequest(addr(7100), null, 0, null, Winsock2.JL_BOTH,
                new RecordingUpcalls()), invited);
        leaf.events().await(Winsock2.FD_ACCEPT_BIT);
        ConnectionRequest peeked = leaf.socket().pendingRequest();

        link.close();

        assertNull(leaf.socket().pendingRequest());
        expectWsa(Winsock2.WSAECONNRESET, () -> peeked.accept(null, new RecordingUpcalls()));
        assertEquals(0, invited.calls());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
