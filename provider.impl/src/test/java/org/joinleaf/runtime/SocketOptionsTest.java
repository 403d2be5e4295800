package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.Future;
import org.joinleaf.api.IPV6_MREQ;
import org.joinleaf.api.IP_MREQ;
import org.joinleaf.api.LINGER;
import org.joinleaf.api.SOCKET;
import org.junit.Test;

/**
 * Issue 13, deliverable 1: {@code setsockopt}/{@code getsockopt} through the runtime, over a scripted provider: the
 * checks every provider shares (unknown level or option and an option the socket type does not take:
 * WSAENOPROTOOPT; missing, mistyped or short optval: WSAEFAULT; out of range: WSAEINVAL; SO_REUSEADDR with
 * SO_EXCLUSIVEADDRUSE: WSAEINVAL), what the provider is handed, what getsockopt reads back, and the runtime's own
 * SO_RCVTIMEO.
 */
public class SocketOptionsTest extends ScriptedRuntimeTest {

    private SOCKET udp() {
        return socket(AF_INET, NP_TYPE, 0, 0);
    }

    @Test
    public void anUnknownLevelOrOptionIsNoProtoOpt() {
        SOCKET s = udp();
        assertFails(WSAENOPROTOOPT, ws.setsockopt(s, 12345, SO_REUSEADDR, new int[] {1}, 4));
        assertFails(WSAENOPROTOOPT, ws.setsockopt(s, SOL_SOCKET, 0x7777, new int[] {1}, 4));
        assertFails(WSAENOPROTOOPT, ws.getsockopt(s, IPPROTO_IP, 0x7777, new int[1], new int[] {4}));
        assertTrue("nothing reached the provider", np.lastSocket().calls().isEmpty());
    }

    @Test
    public void anOptionTheSocketDoesNotTakeIsNoProtoOpt() {
        SOCKET s = udp();
        assertFails(WSAENOPROTOOPT, ws.setsockopt(s, IPPROTO_TCP, TCP_NODELAY, new int[] {1}, 4)); // datagram
        assertFails(WSAENOPROTOOPT, ws.setsockopt(s, SOL_SOCKET, SO_LINGER, new LINGER(1, 5), LINGER.SIZE));
        assertFails(WSAENOPROTOOPT, ws.setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, new int[] {1}, 4)); // v4
        SOCKET rdm = socket(AF_INET, RR_TYPE, 0, 0); // connection-oriented
        assertFails(WSAENOPROTOOPT, ws.setsockopt(rdm, IPPROTO_IP, IP_MULTICAST_TTL, new int[] {1}, 4));
        assertFails(WSAENOPROTOOPT, ws.setsockopt(rdm, SOL_SOCKET, SO_BROADCAST, new int[] {1}, 4));
        assertFails(WSAENOPROTOOPT, ws.setsockopt(rdm, IPPROTO_TCP, TCP_NODELAY, new int[] {1}, 4)); // not TCP
    }

    @Test
    public void aMissingMistypedOrShortValueIsFault() {
        SOCKET s = udp();
        assertFails(WSAEFAULT, ws.setsockopt(s, SOL_SOCKET, SO_RCVBUF, null, 4));
        assertFails(WSAEFAULT, ws.setsockopt(s, SOL_SOCKET, SO_RCVBUF, new int[] {65536}, 2));
        assertFails(WSAEFAULT, ws.setsockopt(s, SOL_SOCKET, SO_RCVBUF, "65536", 4));
        assertFails(WSAEFAULT, ws.setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, new IP_MREQ(), 4));
        assertFails(WSAEFAULT, ws.setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, new int[] {1, 2}, IP_MREQ.SIZE));
        assertFails(WSAEFAULT, ws.getsockopt(s, SOL_SOCKET, SO_RCVBUF, new int[1], new int[] {2}));
        assertTrue("nothing reached the provider", np.lastSocket().calls().isEmpty());
    }

    @Test
    public void aValueOutOfRangeIsInval() {
        SOCKET s = udp();
        assertFails(WSAEINVAL, ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, new int[] {256}, 4));
        assertFails(WSAEINVAL, ws.setsockopt(s, SOL_SOCKET, SO_RCVBUF, new int[] {-1}, 4));
        // imr_multiaddr 10.0.0.1 is not a group
        assertFails(WSAEINVAL, ws.setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP,
                new IP_MREQ(ws.inet_addr("10.0.0.1"), INADDR_ANY), IP_MREQ.SIZE));
    }

    /** Windows: SO_REUSEADDR and SO_EXCLUSIVEADDRUSE exclude each other, whichever comes second fails. */
    @Test
    public void reuseAndExclusiveExcludeEachOther() {
        SOCKET a = udp();
        assertOk(ws.setsockopt(a, SOL_SOCKET, SO_REUSEADDR, new int[] {1}, 4));
        assertFails(WSAEINVAL, ws.setsockopt(a, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, new int[] {1}, 4));
        SOCKET b = udp();
        assertOk(ws.setsockopt(b, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, new int[] {1}, 4));
        assertFails(WSAEINVAL, ws.setsockopt(b, SOL_SOCKET, SO_REUSEADDR, new int[] {1}, 4));
        assertOk(ws.setsockopt(b, SOL_SOCKET, SO_REUSEADDR, new int[] {0}, 4)); // turning it off is fine
    }

    @Test
    public void theProviderGetsBooleansIntegersAddressesAndStructureCopies() {
        SOCKET s = udp();
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_REUSEADDR, new int[] {1}, 4));
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_RCVBUF, new int[] {1 << 20}, 4));
        assertOk(ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, new int[] {0}, 4));
        assertOk(ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, new int[] {ws.inet_addr("127.0.0.1")}, 4));
        IP_MREQ mreq = new IP_MREQ(ws.inet_addr("239.255.1.2"), ws.inet_addr("127.0.0.1"));
        assertOk(ws.setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, IP_MREQ.SIZE));
        java.util.List<String> calls = np.lastSocket().calls();
        assertEquals("setOption " + SOL_SOCKET + "/" + SO_REUSEADDR + "=true", calls.get(0));
        assertEquals("setOption " + SOL_SOCKET + "/" + SO_RCVBUF + "=" + (1 << 20), calls.get(1));
        assertEquals("setOption 0/" + IP_MULTICAST_TTL + "=0", calls.get(2));
        assertEquals("setOption 0/" + IP_MULTICAST_IF + "=/127.0.0.1", calls.get(3));
        assertTrue(calls.get(4), calls.get(4).startsWith("setOption 0/" + IP_ADD_MEMBERSHIP + "=org.joinleaf.api.IP_MREQ"));
        // the SO_RCVTIMEO/SO_SNDTIMEO timeouts are the runtime's: the provider never sees them
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, new int[] {50}, 4));
        assertEquals(5, np.lastSocket().calls().size());
    }

    @Test
    public void getsockoptReadsWhatWasSetElseTheDefault() {
        SOCKET s = udp();
        int[] v = new int[1];
        int[] len = {4};
        assertOk(ws.getsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, v, len));
        assertEquals("IP_MULTICAST_LOOP is on by default", 1, v[0]);
        assertOk(ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, new int[] {0}, 4));
        assertOk(ws.getsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, v, len));
        assertEquals(0, v[0]);
        assertEquals(4, len[0]);
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_RCVBUF, 123456, 4)); // a boxed Integer is taken as int[1]
        assertOk(ws.getsockopt(s, SOL_SOCKET, SO_RCVBUF, v, len));
        assertEquals(123456, v[0]);
        assertFails(WSAENOPROTOOPT, ws.getsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, new IP_MREQ(),
                new int[] {IP_MREQ.SIZE})); // set-only
    }

    @Test
    public void lingerIsOneSettingUnderTwoNames() {
        SOCKET s = socket(AF_INET, RR_TYPE, 0, 0);
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_LINGER, new LINGER(1, 7), LINGER.SIZE));
        int[] dont = new int[1];
        assertOk(ws.getsockopt(s, SOL_SOCKET, SO_DONTLINGER, dont, new int[] {4}));
        assertEquals(0, dont[0]);
        LINGER read = new LINGER();
        assertOk(ws.getsockopt(s, SOL_SOCKET, SO_LINGER, read, new int[] {LINGER.SIZE}));
        assertEquals(1, read.l_onoff);
        assertEquals(7, read.l_linger);
        assertFails(WSAEINVAL, ws.setsockopt(s, SOL_SOCKET, SO_LINGER, new LINGER(1, 70000), LINGER.SIZE));
    }

    @Test
    public void ipv6OptionsOnAnIpv6Socket() {
        ScriptedProvider v6 = ScriptedProvider.withJoin().entry("P-v6", AF_INET6, SOCK_DGRAM, IPPROTO_UDP,
                XP1_CONNECTIONLESS);
        catalog.add(v6, "P-v6", 0, 3L);
        SOCKET s = socket(AF_INET6, SOCK_DGRAM, 0, 0);
        assertOk(ws.setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, new int[] {0}, 4));
        assertOk(ws.setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, new int[] {0}, 4));
        assertOk(ws.setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_IF, new int[] {1}, 4));
        byte[] group = new byte[16];
        group[0] = (byte) 0xff;
        group[1] = 0x15;
        group[15] = 1;
        assertOk(ws.setsockopt(s, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, new IPV6_MREQ(group, 0), IPV6_MREQ.SIZE));
        assertOk(ws.setsockopt(s, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, new IPV6_MREQ(group, 0), IPV6_MREQ.SIZE));
        assertFails(WSAEINVAL, ws.setsockopt(s, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, new IPV6_MREQ(new byte[16], 0),
                IPV6_MREQ.SIZE));
        assertFails(WSAENOPROTOOPT, ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, new int[] {1}, 4));
        assertEquals(5, v6.lastSocket().calls().size());
    }

    /** SO_RCVTIMEO bounds a blocking recv with WSAETIMEDOUT (the runtime's loop; the provider is never asked). */
    @Test
    public void receiveTimeoutEndsABlockingRecvWithTimedOut() throws Exception {
        SOCKET s = udp();
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, new int[] {50}, 4));
        Future<Outcome<Integer>> recv = inBackground(() -> ws.recv(s, new byte[8], 8, 0));
        Outcome<Integer> o = result(recv);
        assertEquals(SOCKET_ERROR, (int) o.value);
        assertEquals(WSAETIMEDOUT, o.lastError);
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, new int[] {0}, 4)); // 0: wait forever again
        Future<Outcome<Integer>> again = inBackground(() -> ws.recv(s, new byte[8], 8, 0));
        np.lastSocket().deliver(new byte[] {1, 2, 3});
        assertEquals(3, (int) result(again).value);
    }

    /**
     * SO_SNDTIMEO bounds a blocking send that cannot proceed (the provider's buffer stays full) with WSAETIMEDOUT;
     * nothing was sent, and with 0 the send waits until room is reported.
     */
    @Test
    public void sendTimeoutEndsABlockingSendWithTimedOut() throws Exception {
        SOCKET s = udp();
        ScriptedProvider.ScriptedSocket t = np.lastSocket();
        t.sendBufferFull(true);
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, new int[] {50}, 4));
        Outcome<Integer> o = result(inBackground(() -> ws.sendto(s, new byte[] {1}, 1, 0, LEAF_A, IN_LEN)));
        assertEquals(SOCKET_ERROR, (int) o.value);
        assertEquals(WSAETIMEDOUT, o.lastError);
        assertTrue("nothing was sent", t.sent().isEmpty());
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, new int[] {0}, 4)); // 0: wait forever again
        Future<Outcome<Integer>> again = inBackground(() -> ws.sendto(s, new byte[] {2}, 1, 0, LEAF_A, IN_LEN));
        t.sendBufferFull(false);
        assertEquals(1, (int) result(again).value);
    }

    /** The membership options can be set, not read (Winsock answers getsockopt of them WSAENOPROTOOPT). */
    @Test
    public void membershipOptionsAreNotReadable() {
        SOCKET s = udp();
        assertFails(WSAENOPROTOOPT, ws.getsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, new IP_MREQ(),
                new int[] {IP_MREQ.SIZE}));
        assertFails(WSAENOPROTOOPT, ws.getsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, new IP_MREQ(),
                new int[] {IP_MREQ.SIZE}));
    }

    @Test
    public void beforeStartupAndOnAClosedSocket() {
        SOCKET s = udp();
        assertOk(ws.closesocket(s));
        assertFails(WSAENOTSOCK, ws.setsockopt(s, SOL_SOCKET, SO_REUSEADDR, new int[] {1}, 4));
        assertOk(ws.WSACleanup());
        assertFails(WSANOTINITIALISED, ws.setsockopt(s, SOL_SOCKET, SO_REUSEADDR, new int[] {1}, 4));
    }
}
