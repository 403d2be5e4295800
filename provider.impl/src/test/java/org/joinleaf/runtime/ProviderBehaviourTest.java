package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.Future;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.WsaException;
import org.junit.Test;

/**
 * Providers as the runtime sees them: one that has no {@code WSPJoinLeaf} (decisions 1, R38, scenarios 53–55), one
 * that fails without a code (decisions 2), and one that leaves the live catalog (decisions 12).
 */
public class ProviderBehaviourTest extends ScriptedRuntimeTest {

    private ScriptedProvider addDefaultProvider() {
        ScriptedProvider def = ScriptedProvider.withoutJoin()
                .entry("P-def", AF_INET, SOCK_STREAM, IPPROTO_TCP, XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER)
                .entry("P-def-udp", AF_INET, SOCK_DGRAM, IPPROTO_UDP, XP1_CONNECTIONLESS | XP1_SUPPORT_MULTIPOINT);
        catalog.add(def, "P-def", 100, 3L);
        return def;
    }

    @Test
    public void l53_providerWithoutJoinIsSysCallFailureWhateverTheArguments_R38_decisions1() {
        addDefaultProvider();
        SOCKET tcp = socket(AF_INET, SOCK_STREAM, 0, 0);
        SOCKET udpLeaf = socket(AF_INET, SOCK_DGRAM, 0, LEAF);
        for (SOCKET s : new SOCKET[] {tcp, udpLeaf}) {
            assertFails(WSASYSCALLFAILURE, join(s, GROUP, null, null, JL_BOTH));
            assertFails(WSASYSCALLFAILURE, join(s, GROUP, null, null, 0));
            assertFails(WSASYSCALLFAILURE, ws.WSAJoinLeaf(s, null, 0, WSABUF.of(new byte[3]), null, null, null, 0x80));
            assertFails(WSASYSCALLFAILURE, join(s, SOCKADDR.any(AF_INET, 0), null, null, JL_BOTH));
        }
    }

    @Test
    public void l54_startupAndDescriptorChecksComeFirst_R1_R2_decisions1() {
        addDefaultProvider();
        SOCKET s = socket(AF_INET, SOCK_STREAM, 0, 0);
        assertFails(WSAENOTSOCK, join(SOCKET.of(0x7FFF_FFF0L), GROUP, null, null, JL_BOTH));
        assertOk(ws.WSACleanup());
        assertFails(WSANOTINITIALISED, join(s, GROUP, null, null, JL_BOTH));
    }

    @Test
    public void l55_multipointProviderBesideTheDefaultOneStillJoins_s55() {
        addDefaultProvider();
        int[] len = {10 * WSAPROTOCOL_INFO.SIZE};
        WSAPROTOCOL_INFO[] buf = WSAPROTOCOL_INFO.array(len[0]);
        int n = ws.WSAEnumProtocols(new int[] {IPPROTO_UDP, 0}, buf, len);
        assertEquals("P-def outranks P-np", "P-def-udp", buf[0].szProtocol);
        assertEquals(2, n);

        SOCKET viaNp = nonBlocking(ws.WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, buf[1], 0,
                LEAF));
        assertEquals(viaNp, join(viaNp, GROUP, null, null, JL_BOTH));
        SOCKET viaDef = ws.WSASocket(AF_INET, SOCK_DGRAM, 0, null, 0, LEAF);
        assertFails(WSASYSCALLFAILURE, join(viaDef, GROUP, null, null, JL_BOTH));
    }

    @Test
    public void providerFailingWithoutACodeIsSysCallFailure_decisions2() throws Exception {
        SOCKET s = npLeaf();
        np.failNextJoin(new WsaException(0, "no code"));
        assertJoinFails(WSASYSCALLFAILURE, s, GROUP, IN_LEN, null, JL_BOTH);
        np.crashNextJoin(new IllegalStateException("provider bug"));
        assertJoinFails(WSASYSCALLFAILURE, s, GROUP, IN_LEN, null, JL_BOTH);

        Future<Outcome<SOCKET>> call = inBackground(() -> join(s, GROUP, null, null, JL_BOTH));
        np.nextJoin().completion.failed(0, null);
        assertEquals(WSASYSCALLFAILURE, result(call).lastError);
    }

    @Test
    public void providerFailingWithoutACodeReportsSysCallFailureInFdConnect_decisions2_R15() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_CONNECT);
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        np.lastJoin().completion.failed(0, "lost");
        assertEquals(WSASYSCALLFAILURE, events(s, e).iErrorCode[FD_CONNECT_BIT]);
    }

    // ---- decisions 12: a provider leaves the live catalog ----

    @Test
    public void leavingProviderClosesItsSocketsWithNetDown_decisions12() {
        SOCKET s = npLeaf();
        ScriptedProvider.ScriptedSocket t = np.lastSocket();
        SOCKET other = rrLeaf();
        WSAEVENT e = select(s, FD_READ | FD_CLOSE);
        catalog.remove(np);

        assertTrue(isSignalled(e));
        WSANETWORKEVENTS ne = events(s, e);
        assertEquals(FD_CLOSE, ne.lNetworkEvents);
        assertEquals(WSAENETDOWN, ne.iErrorCode[FD_CLOSE_BIT]);
        assertEquals("the provider closed the transport", 1, t.closes());

        t.deliver(new byte[] {1}); // a late report is ignored
        assertEquals(0, events(s, e).lNetworkEvents);
        assertFails(WSAENETDOWN, ws.send(s, new byte[] {1}, 1, 0));
        assertFails(WSAENETDOWN, join(s, GROUP, null, null, JL_BOTH));
        assertFails(WSAENETDOWN, ws.WSAEventSelect(s, e, FD_READ));
        assertOk(ws.closesocket(s));
        assertEquals("closesocket does not close the transport twice", 1, t.closes());

        assertOk(ws.ioctlsocket(other, FIONBIO, new int[] {1})); // other providers' sockets are untouched
    }

    @Test
    public void callInsideTheLeavingProviderFailsWithNetDown_decisions12() {
        SOCKET s = npLeaf();
        ScriptedProvider.ScriptedSocket t = np.lastSocket();
        assertEquals(1, ws.send(s, new byte[] {1}, 1, 0));
        t.duringSend(() -> catalog.remove(np)); // the provider stops while the send is inside it
        assertFails(WSAENETDOWN, ws.send(s, new byte[] {1}, 1, 0));
    }

    @Test
    public void leavingProviderWakesBlockedReceiveAndJoin_decisions12() throws Exception {
        SOCKET reader = npLeaf();
        SOCKET joiner = npLeaf();
        Future<Outcome<Integer>> recv = inBackground(() -> ws.recv(reader, new byte[4], 4, 0));
        Future<Outcome<SOCKET>> join = inBackground(() -> join(joiner, GROUP, null, null, JL_BOTH));
        ScriptedProvider.Join j = np.nextJoin();
        assertFalse(recv.isDone());
        catalog.remove(np);

        Outcome<Integer> r = result(recv);
        assertEquals(SOCKET_ERROR, (int) r.value);
        assertEquals(WSAENETDOWN, r.lastError);
        Outcome<SOCKET> jo = result(join);
        assertSame(SOCKET.INVALID_SOCKET, jo.value);
        assertEquals(WSAENETDOWN, jo.lastError);
        j.complete(null); // ignored
    }

    @Test
    public void newSocketsGoToTheNextProviderAndTheCatalogForgetsTheOldOne_decisions12() {
        ScriptedProvider next = ScriptedProvider.withJoin().entry("P-np-2", AF_INET, NP_TYPE, IPPROTO_UDP, NP_FLAGS);
        catalog.add(next, "P-np-2", -1, 9L);
        SOCKET before = npLeaf();
        assertEquals(1, np.sockets().size());
        catalog.remove(np);

        SOCKET after = npLeaf();
        assertEquals(1, next.sockets().size());
        WSAPROTOCOL_INFO info = new WSAPROTOCOL_INFO();
        assertOk(ws.getsockopt(after, SOL_SOCKET, SO_PROTOCOL_INFO, info, new int[] {WSAPROTOCOL_INFO.SIZE}));
        assertEquals(next.id(), info.ProviderId);
        assertFails(WSAENETDOWN, ws.getsockopt(before, SOL_SOCKET, SO_PROTOCOL_INFO, info,
                new int[] {WSAPROTOCOL_INFO.SIZE}));

        int[] len = {10 * WSAPROTOCOL_INFO.SIZE};
        WSAPROTOCOL_INFO[] buf = WSAPROTOCOL_INFO.array(len[0]);
        assertEquals(2, ws.WSAEnumProtocols(null, buf, len));
        assertEquals("P-rr", buf[0].szProtocol);
        assertEquals("P-np-2", buf[1].szProtocol);
    }

    @Test
    public void pendingNonBlockingJoinOfALeavingProviderReportsNetDown_decisions12_R15() {
        SOCKET s = npLeaf();
        WSAEVENT e = select(s, FD_CONNECT | FD_CLOSE);
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        catalog.remove(np);
        WSANETWORKEVENTS ne = events(s, e);
        assertEquals(FD_CONNECT | FD_CLOSE, ne.lNetworkEvents);
        assertEquals(WSAENETDOWN, ne.iErrorCode[FD_CONNECT_BIT]);
        assertEquals(WSAENETDOWN, ne.iErrorCode[FD_CLOSE_BIT]);
    }

    @Test
    public void decisions12_providerReportsAfterItLeftCannotBeatWsaeNetDown_inAnyProcess() throws Exception {
        // the leaf lives in this process, the root's c_leaf in another; the catalog tells this process first
        WinsockProcess other = new WinsockProcess(catalog);
        assertOk(other.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        try {
            SOCKET leaf = rrLeaf();
            ScriptedProvider.ScriptedSocket leafTransport = rr.lastSocket();
            SOCKET link = other.WSASocket(AF_INET, RR_TYPE, 0, null, 0, LEAF);
            ScriptedProvider.ScriptedSocket linkTransport = rr.lastSocket();
            WSAEVENT e = other.WSACreateEvent();
            assertOk(other.WSAEventSelect(link, e, FD_CLOSE));
            // closing the leaf's transport makes the provider report a graceful close on the root's c_leaf
            leafTransport.onClose(() -> linkTransport.upcalls.post(FD_CLOSE_BIT, 0));

            catalog.remove(rr);

            WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
            assertOk(other.WSAEnumNetworkEvents(link, e, ne));
            assertEquals(FD_CLOSE, ne.lNetworkEvents & FD_CLOSE);
            assertEquals("the runtime's FD_CLOSE wins", WSAENETDOWN, ne.iErrorCode[FD_CLOSE_BIT]);
            assertFails(WSAENETDOWN, ws.send(leaf, new byte[1], 1, 0));
        } finally {
            other.terminate();
        }
    }
}
