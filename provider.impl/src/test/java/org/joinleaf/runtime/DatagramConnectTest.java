package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.Arrays;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.junit.Test;

/**
 * Issue 13, deliverable 2 (runtime half): connect on a datagram socket sets, changes, and with AF_UNSPEC clears the
 * default destination, blocking or not, without WSAEISCONN; the same after WSAJoinLeaf on a multicast socket.
 * On the default provider over loopback: the datagrams go where the last connect said.
 */
public class DatagramConnectTest extends LoopbackRuntimeTest {

    @Test
    public void connectSetsChangesAndClearsTheDefaultDestination() {
        SOCKADDR aAddr = new SOCKADDR();
        SOCKADDR bAddr = new SOCKADDR();
        SOCKET a = boundUdp(aAddr);
        SOCKET b = boundUdp(bAddr);
        SOCKET sender = udp();
        assertOk(ws.connect(sender, aAddr, IN_LEN));
        assertEquals(3, ws.send(sender, new byte[] {1, 2, 3}, 3, 0));
        assertOk(ws.connect(sender, bAddr, IN_LEN)); // a second connect changes it: no WSAEISCONN
        assertEquals(2, ws.send(sender, new byte[] {4, 5}, 2, 0));
        SOCKADDR peer = new SOCKADDR();
        assertOk(ws.getpeername(sender, peer, new int[] {IN_LEN}));
        assertEquals(bAddr, peer);
        assertArrayEquals(new byte[] {1, 2, 3}, receive(a));
        assertArrayEquals(new byte[] {4, 5}, receive(b));
        SOCKADDR unspec = new SOCKADDR(); // sa_family AF_UNSPEC
        assertOk(ws.connect(sender, unspec, IN_LEN));
        assertFails(WSAENOTCONN, ws.getpeername(sender, peer, new int[] {IN_LEN}));
        assertEquals(SOCKET_ERROR, ws.send(sender, new byte[] {6}, 1, 0)); // no default destination any more
        assertEquals(1, ws.sendto(sender, new byte[] {7}, 1, 0, aAddr, IN_LEN));
        assertArrayEquals(new byte[] {7}, receive(a));
    }

    /**
     * connect's documentation: "If the address member of the structure specified by the name parameter is filled
     * with zeros, the socket will be disconnected" (Linux would connect to this host instead).
     */
    @Test
    public void anAddressOfZerosClearsTheDefaultDestination() {
        SOCKADDR aAddr = new SOCKADDR();
        boundUdp(aAddr);
        SOCKET sender = udp();
        assertOk(ws.connect(sender, aAddr, IN_LEN));
        assertOk(ws.connect(sender, SOCKADDR.any(AF_INET, aAddr.port), IN_LEN));
        assertFails(WSAENOTCONN, ws.getpeername(sender, new SOCKADDR(), new int[] {IN_LEN}));
        assertEquals("no default destination any more", SOCKET_ERROR, ws.send(sender, new byte[] {6}, 1, 0));
    }

    // send and WSASend name no destination: without a default one Winsock says WSAENOTCONN ("the socket is not
    // connected"); sendto and WSASendTo without an address say WSAEDESTADDRREQ.
    @Test
    public void sendWithoutADefaultDestinationIsNotConnected() {
        SOCKET sender = udp();
        byte[] one = {1};
        assertFails(WSAENOTCONN, ws.send(sender, one, 1, 0));
        assertFails(WSAENOTCONN, ws.WSASend(sender, new WSABUF[] {WSABUF.of(one)}, 1, new int[1], 0, null, null));
        assertFails(WSAEDESTADDRREQ, ws.sendto(sender, one, 1, 0, null, 0));
        assertFails(WSAEDESTADDRREQ, ws.WSASendTo(sender, new WSABUF[] {WSABUF.of(one)}, 1, new int[1], 0, null, 0,
                null, null));
    }

    @Test
    public void aNonBlockingDatagramConnectCompletesAtOnce() {
        SOCKADDR aAddr = new SOCKADDR();
        boundUdp(aAddr);
        SOCKET sender = udp();
        assertOk(ws.ioctlsocket(sender, FIONBIO, new int[] {1}));
        assertOk(ws.connect(sender, aAddr, IN_LEN)); // never WSAEWOULDBLOCK on a datagram socket
    }

    @Test
    public void theNameIsStillChecked() {
        SOCKET s = udp();
        assertFails(WSAEFAULT, ws.connect(s, null, IN_LEN));
        assertFails(WSAEFAULT, ws.connect(s, SOCKADDR.of("127.0.0.1", 9), 8));
        assertFails(WSAEAFNOSUPPORT, ws.connect(s, SOCKADDR.of("::1", 9), SOCKADDR.SIZEOF_SOCKADDR_IN6));
    }

    @Test
    public void aStreamSocketStillAnswersIsConn() throws Exception {
        SOCKET listener = tcp();
        assertOk(ws.bind(listener, SOCKADDR.of("127.0.0.1", 0), IN_LEN));
        assertOk(ws.listen(listener, 4));
        SOCKADDR at = new SOCKADDR();
        assertOk(ws.getsockname(listener, at, new int[] {IN_LEN}));
        SOCKET client = tcp();
        assertOk(ws.connect(client, at, IN_LEN));
        assertFails(WSAEISCONN, ws.connect(client, at, IN_LEN));
    }

    private byte[] receive(SOCKET s) {
        byte[] buf = new byte[16];
        int n = ws.recv(s, buf, buf.length, 0);
        assertNotEquals("recv failed: " + ws.WSAGetLastErrorMessage(), SOCKET_ERROR, n);
        return Arrays.copyOf(buf, n);
    }

    /** socket() is WSASocket without protocol info: the same catalog matching and codes. */
    @Test
    public void socketAnswersWinsocksCodes() {
        assertEquals(SOCKET.INVALID_SOCKET, ws.socket(99, SOCK_DGRAM, 0));
        assertLastError(WSAEAFNOSUPPORT);
        assertEquals(SOCKET.INVALID_SOCKET, ws.socket(AF_INET, SOCK_RAW, 0));
        assertLastError(WSAESOCKTNOSUPPORT);
        assertEquals(SOCKET.INVALID_SOCKET, ws.socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
        assertLastError(WSAEPROTONOSUPPORT);
        assertOk(ws.WSACleanup());
        assertEquals(SOCKET.INVALID_SOCKET, ws.socket(AF_INET, SOCK_DGRAM, 0));
        assertLastError(WSANOTINITIALISED);
    }
}
