package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;

import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.joinleaf.api.LINGER;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.junit.Assume;
import org.junit.Test;

/**
 * Issue 13 (item 2 of the follow-up): the default provider applies each option the JDK can apply to the real socket,
 * and getsockopt answers the value in effect, read back from the socket (Linux doubles SO_RCVBUF/SO_SNDBUF), not the
 * last value set. IP_TTL and IPV6_UNICAST_HOPS, which the JDK cannot apply, are WSAENOPROTOOPT and read the host's
 * default (decision 26). SO_EXCLUSIVEADDRUSE keeps every other socket off the port, SO_REUSEADDR or not.
 */
public class DefaultProviderOptionsInEffectTest extends LoopbackRuntimeTest {

    @Test
    public void receiveAndSendBufferSizesReadAsTheKernelGaveThem() throws Exception {
        SOCKET s = udp();
        int[] before = new int[1];
        assertOk(ws.getsockopt(s, SOL_SOCKET, SO_RCVBUF, before, new int[] {4}));
        try (DatagramChannel plain = DatagramChannel.open(StandardProtocolFamily.INET)) {
            assertEquals("before any setsockopt: the system's size, not a made-up default",
                    (int) plain.getOption(StandardSocketOptions.SO_RCVBUF), before[0]);
        }
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_RCVBUF, new int[] {100_000}, 4));
        assertOk(ws.setsockopt(s, SOL_SOCKET, SO_SNDBUF, new int[] {60_000}, 4));
        int[] rcv = new int[1];
        int[] snd = new int[1];
        assertOk(ws.getsockopt(s, SOL_SOCKET, SO_RCVBUF, rcv, new int[] {4}));
        assertOk(ws.getsockopt(s, SOL_SOCKET, SO_SNDBUF, snd, new int[] {4}));
        try (DatagramChannel plain = DatagramChannel.open(StandardProtocolFamily.INET)) {
            plain.setOption(StandardSocketOptions.SO_RCVBUF, 100_000);
            plain.setOption(StandardSocketOptions.SO_SNDBUF, 60_000);
            assertEquals("what the kernel gives a JDK socket for the same request",
                    (int) plain.getOption(StandardSocketOptions.SO_RCVBUF), rcv[0]);
            assertEquals((int) plain.getOption(StandardSocketOptions.SO_SNDBUF), snd[0]);
        }
    }

    @Test
    public void tcpOptionsReadBackFromTheConnectedChannel() {
        SOCKADDR at = new SOCKADDR();
        SOCKET listener = tcp();
        assertOk(ws.bind(listener, SOCKADDR.of("127.0.0.1", 0), IN_LEN));
        assertOk(ws.getsockname(listener, at, new int[] {IN_LEN}));
        assertOk(ws.listen(listener, 1));
        SOCKET c = tcp();
        assertOk(ws.setsockopt(c, IPPROTO_TCP, TCP_NODELAY, new int[] {1}, 4));
        assertOk(ws.setsockopt(c, SOL_SOCKET, SO_LINGER, new LINGER(1, 3), LINGER.SIZE));
        assertOk(ws.connect(c, at, IN_LEN));
        int[] v = new int[1];
        assertOk(ws.getsockopt(c, IPPROTO_TCP, TCP_NODELAY, v, new int[] {4}));
        assertEquals(1, v[0]);
        LINGER l = new LINGER();
        assertOk(ws.getsockopt(c, SOL_SOCKET, SO_LINGER, l, new int[] {LINGER.SIZE}));
        assertEquals(1, l.l_onoff);
        assertEquals(3, l.l_linger);
        assertOk(ws.getsockopt(c, SOL_SOCKET, SO_DONTLINGER, v, new int[] {4}));
        assertEquals(0, v[0]);
        assertOk(ws.getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, v, new int[] {4}));
        assertEquals(0, v[0]);
    }

    /** Decision 26: refused with WSAENOPROTOOPT; getsockopt reads the TTL the host gives every socket. */
    @Test
    public void unicastTtlIsRefusedAndReadsTheHostDefault() throws Exception {
        SOCKET s = udp();
        assertFails(WSAENOPROTOOPT, ws.setsockopt(s, IPPROTO_IP, IP_TTL, new int[] {64}, 4));
        SOCKET t = tcp();
        assertFails(WSAENOPROTOOPT, ws.setsockopt(t, IPPROTO_IP, IP_TTL, new int[] {64}, 4));
        Path sysctl = Path.of("/proc/sys/net/ipv4/ip_default_ttl");
        Assume.assumeTrue("the host default TTL is read from " + sysctl + ", absent here", Files.isReadable(sysctl));
        int[] v = new int[1];
        assertOk(ws.getsockopt(s, IPPROTO_IP, IP_TTL, v, new int[] {4}));
        assertEquals(Integer.parseInt(Files.readAllLines(sysctl).get(0).trim()), v[0]);
    }

    @Test
    public void exclusiveAddrUseKeepsAReusingSocketOffThePort() {
        SOCKADDR port = new SOCKADDR();
        SOCKET a = udp();
        assertOk(ws.setsockopt(a, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, new int[] {1}, 4));
        assertOk(ws.bind(a, SOCKADDR.any(AF_INET, 0), IN_LEN));
        assertOk(ws.getsockname(a, port, new int[] {IN_LEN}));
        int[] v = new int[1];
        assertOk(ws.getsockopt(a, SOL_SOCKET, SO_REUSEADDR, v, new int[] {4}));
        assertEquals("the kernel socket does not share its port", 0, v[0]);
        SOCKET b = udp();
        assertOk(ws.setsockopt(b, SOL_SOCKET, SO_REUSEADDR, new int[] {1}, 4));
        assertFails(WSAEADDRINUSE, ws.bind(b, SOCKADDR.of("127.0.0.1", port.port), IN_LEN));
        assertFails(WSAEADDRINUSE, ws.bind(b, SOCKADDR.any(AF_INET, port.port), IN_LEN));
    }
}
