package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;

import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.spi.WsaException;
import org.junit.Test;

/**
 * Conformance C: the argument checks the runtime makes for every provider before the provider sees the join
 * (§3 R3–R9, R29–R35, decisions 4, 5, 9, 10, 11).
 */
public class JoinValidationTest extends ScriptedRuntimeTest {

    @Test
    public void c11_socketWithoutMultipointFlagsIsInvalid_R3_decisions4() {
        SOCKET plain = socket(AF_INET, NP_TYPE, 0, 0);
        assertJoinFails(WSAEINVAL, plain, GROUP, IN_LEN, null, JL_BOTH);
        assertNoJoinReached(np);
    }

    @Test
    public void c12_shortNamelenOrNoNameIsFault_R4() {
        SOCKET s = npLeaf();
        assertJoinFails(WSAEFAULT, s, GROUP, IN_LEN - 1, null, JL_BOTH);
        assertJoinFails(WSAEFAULT, s, null, IN_LEN, null, JL_BOTH);
        assertNoJoinReached(np);
    }

    @Test
    public void c13_addrAnyIsNotAvailable_R5() {
        assertJoinFails(WSAEADDRNOTAVAIL, npLeaf(), SOCKADDR.any(AF_INET, 5000), IN_LEN, null, JL_BOTH);
        assertNoJoinReached(np);
    }

    @Test
    public void r6_familyMismatchIsAfNoSupport_R6() {
        assertJoinFails(WSAEAFNOSUPPORT, npLeaf(), SOCKADDR.of("::1", 5000), SOCKADDR.SIZEOF_SOCKADDR_IN6, null,
                JL_BOTH);
        assertNoJoinReached(np);
    }

    @Test
    public void r4_callerOrCalleeLenBeyondTheirBufferIsFault_R4() {
        SOCKET s = rrLeaf();
        assertJoinFails(WSAEFAULT, s, GROUP, IN_LEN, new WSABUF(4, new byte[3]), JL_BOTH);
        assertFails(WSAEFAULT, join(s, GROUP, null, new WSABUF(8, new byte[2]), JL_BOTH));
        assertNoJoinReached(rr);
    }

    @Test
    public void c14_callerDataOverProviderLimitIsFaultAndSocketStaysUsable_R4() {
        SOCKET s = nonBlocking(rrLeaf());
        rr.failNextJoin(new WsaException(WSAEFAULT, "caller data over 4 bytes"));
        assertJoinFails(WSAEFAULT, s, GROUP, IN_LEN, WSABUF.of(new byte[5]), JL_BOTH);
        assertEquals("a synchronous failure leaves no join pending", s,
                join(s, GROUP, WSABUF.of(new byte[4]), null, JL_BOTH));
    }

    @Test
    public void c15_callerDataWithoutConnectDataOnConnectionOrientedEntryIsProtoNoSupport_R7_decisions9() {
        assertJoinFails(WSAEPROTONOSUPPORT, npLeaf(), GROUP, IN_LEN, WSABUF.of(new byte[] {1}), JL_BOTH);
        assertNoJoinReached(np);
    }

    @Test
    public void c15_callerDataWithoutConnectDataOnConnectionlessEntryIsIgnored_R7_decisions9() {
        ScriptedProvider udp = ScriptedProvider.withJoin().entry("udp-multicast", AF_INET, SOCK_DGRAM, IPPROTO_UDP,
                XP1_CONNECTIONLESS | XP1_SUPPORT_MULTIPOINT);
        catalog.add(udp, "udp", 10, 3L);
        SOCKET s = nonBlocking(npLeaf());
        assertEquals(s, join(s, GROUP, WSABUF.of(new byte[] {1, 2}), null, JL_BOTH));
        assertNull("the provider sees no caller data", udp.lastJoin().request.callerData());
    }

    @Test
    public void r29_noCallerDataSendsNone_R29_R31() {
        SOCKET s = nonBlocking(rrLeaf());
        assertEquals(s, join(s, GROUP, null, null, JL_BOTH));
        assertNull(rr.lastJoin().request.callerData());
        assertEquals(0, rr.lastJoin().request.calleeDataCapacity());
    }

    @Test
    public void r32_callerDataReachesTheProviderAsACopy_R32() {
        SOCKET s = nonBlocking(rrLeaf());
        byte[] mine = {'a', 'b', 'c', 'd'};
        assertEquals(s, join(s, GROUP, new WSABUF(3, mine), WSABUF.allocate(7), JL_BOTH));
        mine[0] = 'X';
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, rr.lastJoin().request.callerData());
        assertEquals(7, rr.lastJoin().request.calleeDataCapacity());
    }

    @Test
    public void c16_guaranteedServiceWithoutQosSupportIsOpNotSupp_R8_decisions10() {
        QOS q = new QOS();
        q.SendingFlowspec.ServiceType = SERVICETYPE_GUARANTEED;
        q.SendingFlowspec.TokenRate = 1000;
        assertFails(WSAEOPNOTSUPP, ws.WSAJoinLeaf(npLeaf(), GROUP, IN_LEN, null, null, q, null, JL_BOTH));
        assertNoJoinReached(np);
    }

    @Test
    public void r34_flowspecOfUnusedDirectionIsIgnored_R34() {
        QOS q = new QOS();
        q.SendingFlowspec.ServiceType = SERVICETYPE_GUARANTEED;
        q.SendingFlowspec.TokenRate = 1000;
        SOCKET s = nonBlocking(npLeaf());
        assertEquals(s, ws.WSAJoinLeaf(s, GROUP, IN_LEN, null, null, q, null, JL_RECEIVER_ONLY));
    }

    @Test
    public void k50_defaultedSendingTokenRateCannotBeMetEvenWithQos_s50_decisions10() {
        ScriptedProvider qos = ScriptedProvider.withJoin().entry("P-rr-qos", AF_INET, SOCK_SEQPACKET, 0,
                RR_FLAGS | XP1_QOS_SUPPORTED);
        catalog.add(qos, "qos", 0, 3L);
        SOCKET s = nonBlocking(socket(AF_INET, SOCK_SEQPACKET, 0, LEAF));
        QOS q = new QOS();
        q.SendingFlowspec.ServiceType = SERVICETYPE_GUARANTEED;
        assertFails(WSAEOPNOTSUPP, ws.WSAJoinLeaf(s, GROUP, IN_LEN, null, null, q, null, JL_BOTH));

        q.SendingFlowspec.TokenRate = 1000;
        assertEquals(s, ws.WSAJoinLeaf(s, GROUP, IN_LEN, null, null, q, null, JL_BOTH));
        q.SendingFlowspec.TokenRate = 5;
        assertEquals("the provider got the flowspecs as a copy", 1000,
                qos.lastJoin().request.qos().SendingFlowspec.TokenRate);
    }

    @Test
    public void c17_noQosDoesNotAffectTheJoin_s17_R33_R35_decisions11() {
        SOCKET s = nonBlocking(npLeaf());
        assertEquals(s, ws.WSAJoinLeaf(s, GROUP, IN_LEN, null, null, null, null, JL_BOTH));
        assertNull(np.lastJoin().request.qos());
        SOCKET t = nonBlocking(npLeaf());
        assertEquals("lpGQOS is ignored", t, ws.WSAJoinLeaf(t, GROUP, IN_LEN, null, null, null, new QOS(), JL_BOTH));
    }

    @Test
    public void c18_zeroOrUnknownDirectionFlagsAreInvalid_R9_decisions5() {
        SOCKET s = npLeaf();
        assertJoinFails(WSAEINVAL, s, GROUP, IN_LEN, null, 0);
        assertJoinFails(WSAEINVAL, s, GROUP, IN_LEN, null, 0x80);
        assertJoinFails(WSAEINVAL, s, GROUP, IN_LEN, null, JL_BOTH | JL_SENDER_ONLY);
        assertNoJoinReached(np);
    }

    @Test
    public void c18_senderAndReceiverBitsReadAsBoth_R9_decisions5() {
        SOCKET s = nonBlocking(npLeaf());
        assertEquals(s, join(s, GROUP, null, null, JL_SENDER_ONLY | JL_RECEIVER_ONLY));
        assertEquals(JL_BOTH, np.lastJoin().request.direction());
        assertEquals(GROUP, np.lastJoin().request.name());
    }

    private static void assertNoJoinReached(ScriptedProvider p) {
        for (ScriptedProvider.ScriptedSocket t : p.sockets()) {
            assertFalse("the runtime should have refused before the provider", t.calls().contains("join"));
        }
    }
}
