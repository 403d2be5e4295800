package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;

import org.joinleaf.api.IP_MREQ;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.junit.Test;

/**
 * Issue 13 (item 1 of the follow-up), decision 25: the default provider applies multicast loopback on the receive
 * path, as Windows, provider.multicast and provider.local do. A member with loopback off drops every datagram whose
 * source address is this host's; a sender's own loopback setting does not keep its datagrams from other local
 * members (on Linux the kernel applies it on the send side, which this test fails under). Group 239.255.13.5 on lo,
 * TTL 0: nothing leaves the host.
 */
public class DefaultProviderLoopbackTest extends LoopbackRuntimeTest {
    private static final int COUNT = 5;

    @Test
    public void loopbackOffIsTheReceiversAndDropsEveryLocalSource() {
        SOCKADDR port = new SOCKADDR();
        SOCKET off = member(SOCKADDR.any(AF_INET, 0));
        assertOk(ws.getsockname(off, port, new int[] {IN_LEN}));
        SOCKET on = member(SOCKADDR.any(AF_INET, port.port));
        assertOk(ws.setsockopt(off, IPPROTO_IP, IP_MULTICAST_LOOP, new int[] {0}, 4));
        assertOk(ws.setsockopt(off, SOL_SOCKET, SO_RCVTIMEO, new int[] {300}, 4));
        assertOk(ws.setsockopt(on, SOL_SOCKET, SO_RCVTIMEO, new int[] {(int) ScriptedProvider.WAIT_SECONDS * 1000},
                4));
        SOCKET sender = udp();
        assertOk(ws.setsockopt(sender, IPPROTO_IP, IP_MULTICAST_IF, new int[] {ws.inet_addr("127.0.0.1")}, 4));
        assertOk(ws.setsockopt(sender, IPPROTO_IP, IP_MULTICAST_TTL, new int[] {0}, 4));
        assertOk(ws.setsockopt(sender, IPPROTO_IP, IP_MULTICAST_LOOP, new int[] {0}, 4)); // its own receive path only
        SOCKADDR group = SOCKADDR.of("239.255.13.5", port.port);
        for (int i = 0; i < COUNT; i++) {
            assertEquals(1, ws.sendto(sender, new byte[] {(byte) i}, 1, 0, group, IN_LEN));
        }
        byte[] buf = new byte[4];
        for (int i = 0; i < COUNT; i++) {
            assertEquals("datagram " + i + " reached the member with loopback on: " + ws.WSAGetLastErrorMessage(), 1,
                    ws.recv(on, buf, 4, 0));
            assertEquals(i, buf[0]);
        }
        assertFails(WSAETIMEDOUT, ws.recv(off, buf, 4, 0));
        int[] v = new int[1];
        assertOk(ws.getsockopt(off, IPPROTO_IP, IP_MULTICAST_LOOP, v, new int[] {4}));
        assertEquals(0, v[0]);
    }

    /** SIO_MULTIPOINT_LOOPBACK is the same switch, and getsockopt shows it. */
    @Test
    public void multipointLoopbackIoctlIsTheSameSwitch() {
        SOCKET s = member(SOCKADDR.any(AF_INET, 0));
        assertOk(ws.WSAIoctl(s, SIO_MULTIPOINT_LOOPBACK, new int[] {0}, 4, null, 0, new int[1]));
        int[] v = new int[1];
        assertOk(ws.getsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, v, new int[] {4}));
        assertEquals(0, v[0]);
    }

    private SOCKET member(SOCKADDR bindTo) {
        SOCKET s = udp();
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_REUSEADDR, new int[] {1}, 4));
        assertOk(ws.bind(s, bindTo, IN_LEN));
        IP_MREQ mreq = new IP_MREQ(ws.inet_addr("239.255.13.5"), ws.inet_addr("127.0.0.1"));
        assertOk(ws.setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, IP_MREQ.SIZE));
        return s;
    }
}
