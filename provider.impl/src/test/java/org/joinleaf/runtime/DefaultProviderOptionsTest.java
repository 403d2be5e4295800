package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;

import java.net.NetworkInterface;
import org.joinleaf.api.IPV6_MREQ;
import org.joinleaf.api.IP_MREQ;
import org.joinleaf.api.LINGER;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.junit.Assume;
import org.junit.Test;

/**
 * Issue 13, deliverable 1: the options reach the default provider's channels. SO_REUSEADDR is observable (two
 * sockets share a port only with it), memberships are observable (dropping one never added is
 * WSAEADDRNOTAVAIL); the rest are taken on the socket types Winsock takes them on.
 */
public class DefaultProviderOptionsTest extends LoopbackRuntimeTest {

    @Test
    public void soReuseAddrLetsTwoUdpSocketsShareAPortAndNothingElseDoes() {
        SOCKADDR first = new SOCKADDR();
        SOCKET a = udp();
        assertOk(ws.setsockopt(a, SOL_SOCKET, SO_REUSEADDR, new int[] {1}, 4));
        assertOk(ws.bind(a, SOCKADDR.of("127.0.0.1", 0), IN_LEN));
        assertOk(ws.getsockname(a, first, new int[] {IN_LEN}));
        SOCKET without = udp();
        assertFails(WSAEADDRINUSE, ws.bind(without, first, IN_LEN));
        SOCKET with = udp();
        assertOk(ws.setsockopt(with, SOL_SOCKET, SO_REUSEADDR, new int[] {1}, 4));
        assertOk(ws.bind(with, first, IN_LEN));
    }

    @Test
    public void udpOptionsAreTaken() {
        SOCKET s = udp();
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_RCVBUF, new int[] {256 * 1024}, 4));
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_SNDBUF, new int[] {128 * 1024}, 4));
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_BROADCAST, new int[] {1}, 4));
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, new int[] {1}, 4));
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, new int[] {1000}, 4));
        assertOk(ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, new int[] {0}, 4));
        assertOk(ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, new int[] {0}, 4));
        assertOk(ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, new int[] {ws.inet_addr("127.0.0.1")}, 4));
        assertFails(WSAEADDRNOTAVAIL, ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF,
                new int[] {ws.inet_addr("192.0.2.77")}, 4)); // no interface has it
        int[] v = new int[1];
        assertOk(ws.getsockopt(s, SOL_SOCKET, SO_RCVBUF, v, new int[] {4}));
        assertEquals(256 * 1024, v[0]);
    }

    @Test
    public void membershipsAreAddedAndDroppedOnTheInterface() {
        SOCKET s = udp();
        assertOk(ws.bind(s, SOCKADDR.any(AF_INET, 0), IN_LEN));
        IP_MREQ mreq = new IP_MREQ(ws.inet_addr("239.255.13.1"), ws.inet_addr("127.0.0.1"));
        assertOk(ws.setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, IP_MREQ.SIZE));
        assertFails(WSAEADDRINUSE, ws.setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, IP_MREQ.SIZE));
        assertOk(ws.setsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, mreq, IP_MREQ.SIZE));
        assertFails(WSAEADDRNOTAVAIL, ws.setsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, mreq, IP_MREQ.SIZE));
    }

    @Test
    public void tcpOptionsAreTakenBeforeAndAfterBind() {
        SOCKET s = tcp();
        assertOk(ws.setsockopt(s, IPPROTO_TCP, TCP_NODELAY, new int[] {1}, 4));
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, new int[] {1}, 4));
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_LINGER, new LINGER(1, 2), LINGER.SIZE));
        assertOk(ws.bind(s, SOCKADDR.of("127.0.0.1", 0), IN_LEN));
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_SNDBUF, new int[] {64 * 1024}, 4));
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_REUSEADDR, new int[] {1}, 4));
        assertOk(ws.listen(s, 4)); // the listening channel is opened with them
        assertFails(WSAENOPROTOOPT, ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, new int[] {1}, 4));
    }

    @Test
    public void ipv6MulticastOptionsAndMembershipOnLoopback() throws Exception {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        Assume.assumeTrue("needs an IPv6 loopback interface 'lo' (not present here)", lo != null
                && lo.inetAddresses().anyMatch(a -> a instanceof java.net.Inet6Address));
        SOCKET s = ws.socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
        assertOk(ws.bind(s, SOCKADDR.any(AF_INET6, 0), SOCKADDR.SIZEOF_SOCKADDR_IN6));
        assertOk(ws.setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, new int[] {0}, 4));
        assertOk(ws.setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, new int[] {1}, 4));
        assertOk(ws.setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_IF, new int[] {lo.getIndex()}, 4));
        byte[] group = new byte[16];
        group[0] = (byte) 0xff;
        group[1] = 0x15; // transient, site-local: never routed off this host with hop limit 0
        group[15] = 0x13;
        IPV6_MREQ mreq = new IPV6_MREQ(group, lo.getIndex());
        assertOk(ws.setsockopt(s, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, mreq, IPV6_MREQ.SIZE));
        assertOk(ws.setsockopt(s, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, mreq, IPV6_MREQ.SIZE));
        assertFails(WSAEADDRNOTAVAIL, ws.setsockopt(s, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, mreq, IPV6_MREQ.SIZE));
        assertFails(WSAENOPROTOOPT, ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, new int[] {1}, 4));
    }

    /** The setsockopt form of a multicast receiver (as mcastws2 without WSAJoinLeaf): TTL 0, 239.255/16, lo. */
    @Test
    public void aMembershipAddedWithSetsockoptReceivesTheGroup() {
        SOCKADDR port = new SOCKADDR();
        SOCKET r = udp();
        assertOk(ws.bind(r, SOCKADDR.any(AF_INET, 0), IN_LEN)); // the wildcard, an ephemeral port
        assertOk(ws.getsockname(r, port, new int[] {IN_LEN}));
        IP_MREQ mreq = new IP_MREQ(ws.inet_addr("239.255.13.2"), ws.inet_addr("127.0.0.1"));
        assertOk(ws.setsockopt(r, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, IP_MREQ.SIZE));
        SOCKET s = udp();
        assertOk(ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, new int[] {ws.inet_addr("127.0.0.1")}, 4));
        assertOk(ws.setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, new int[] {0}, 4));
        assertOk(ws.setsockopt(r, SOL_SOCKET, SO_RCVTIMEO, new int[] {(int) ScriptedProvider.WAIT_SECONDS * 1000}, 4));
        assertEquals(3, ws.sendto(s, new byte[] {1, 2, 3}, 3, 0, SOCKADDR.of("239.255.13.2", port.port), IN_LEN));
        byte[] buf = new byte[8];
        assertEquals("the group datagram arrived: " + ws.WSAGetLastErrorMessage(), 3, ws.recv(r, buf, 8, 0));
    }
}
