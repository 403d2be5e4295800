package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.FD_WRITE_BIT;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.joinleaf.api.Winsock2.JL_SENDER_ONLY;
import static org.joinleaf.api.Winsock2.WSAEADDRNOTAVAIL;
import static org.joinleaf.api.Winsock2.WSAEAFNOSUPPORT;
import static org.joinleaf.api.Winsock2.WSAEINVAL;
import static org.joinleaf.api.Winsock2.WSAEISCONN;
import static org.joinleaf.api.Winsock2.WSAENOTCONN;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** {@code WSAJoinLeaf} on a c_leaf of the non-rooted provider (§1.3, §3, issue 4 item 2). */
public class LeafSocketJoinTest {
    private MulticastProvider provider;
    private RecordingUpcalls upcalls;
    private LeafSocket socket;

    @Before
    public void start() throws Exception {
        provider = Loopback.provider();
        upcalls = new RecordingUpcalls();
        socket = Loopback.socket(provider, AF_INET, upcalls);
    }

    @After
    public void stop() {
        provider.deactivate();
    }

    // R10, R12, R24, R30, scenarios 19 and 22: returns s itself, binds wildcard:groupPort, completes once, no callee data.
    @Test
    public void scenario19_22_joinReturnsSameSocketBindsImplicitlyAndCompletesWithoutCalleeData() throws Exception {
        Loopback.assumeIpv4();
        SOCKADDR group = Loopback.group4();
        RecordingCompletion completion = new RecordingCompletion();
        assertNull("unbound before the join", socket.localAddress());

        ProviderSocket result = socket.join(request(group, JL_BOTH, new byte[] {1, 2, 3}), completion);

        assertSame(socket, result);
        assertEquals(1, completion.calls());
        assertTrue(completion.connected());
        assertTrue("callee len 0 (R30)", completion.calleeData() == null || completion.calleeData().length == 0);
        assertEquals(SOCKADDR.any(AF_INET, group.port), socket.localAddress());
        assertTrue(socket.isSubscribed());
        assertTrue("FD_WRITE after the join", upcalls.await(FD_WRITE_BIT, Loopback.WAIT_MILLIS));
    }

    // Issue 4 item 2, R5: a unicast address is not a session for this provider.
    @Test
    public void nonMulticastAddressIsWsaeaddrnotavail() {
        RecordingCompletion completion = new RecordingCompletion();
        try {
            socket.join(request(SOCKADDR.of("127.0.0.1", 45000), JL_BOTH, null), completion);
            fail("unicast group accepted");
        } catch (WsaException e) {
            assertEquals(WSAEADDRNOTAVAIL, e.code());
        }
        assertEquals("no completion after a thrown failure", 0, completion.calls());
        assertNull("nothing bound", socket.localAddress());
    }

    // R6: a group of the other family.
    @Test
    public void wrongFamilyIsWsaeafnosupport() {
        try {
            socket.join(request(SOCKADDR.of("ff15::1", 45000), JL_BOTH, null), new RecordingCompletion());
            fail("IPv6 group accepted on an IPv4 socket");
        } catch (WsaException e) {
            assertEquals(WSAEAFNOSUPPORT, e.code());
        }
    }

    // Scenario 43, §1.3: JL_SENDER_ONLY binds but does not subscribe; RECEIVER_ONLY and BOTH do.
    @Test
    public void scenario43_senderOnlyDoesNotSubscribe() throws Exception {
        Loopback.assumeIpv4();
        SOCKADDR group = Loopback.group4();
        Loopback.join(socket, group, JL_SENDER_ONLY);
        assertFalse(socket.isSubscribed());
        assertEquals(group.port, socket.localAddress().port);

        LeafSocket receiver = Loopback.socket(provider, AF_INET, new RecordingUpcalls());
        Loopback.join(receiver, group, JL_RECEIVER_ONLY);
        assertTrue("members on one host share the group port (SO_REUSEADDR)", receiver.isSubscribed());
    }

    // R20, scenario 27 (the runtime answers it first; the provider refuses too).
    @Test
    public void scenario27_secondJoinIsWsaeisconn() throws Exception {
        Loopback.assumeIpv4();
        Loopback.join(socket, Loopback.group4());
        try {
            socket.join(request(Loopback.group4(), JL_BOTH, null), new RecordingCompletion());
            fail("second join accepted");
        } catch (WsaException e) {
            assertEquals(WSAEISCONN, e.code());
        }
    }

    // §1.6 / issue 4 item 2: closesocket leaves the group.
    @Test
    public void closeDropsTheMembership() throws Exception {
        Loopback.assumeIpv4();
        Loopback.join(socket, Loopback.group4());
        assertTrue(socket.isSubscribed());
        socket.close();
        assertFalse(socket.isSubscribed());
        assertFalse(socket.isChannelOpen());
    }

    @Test
    public void sendWithoutGroupOrDestinationIsWsaenotconn() {
        try {
            socket.send(ByteBuffer.wrap(new byte[] {1}), null);
            fail("send without destination accepted");
        } catch (WsaException e) {
            assertEquals(WSAENOTCONN, e.code());
        }
    }

    @Test
    public void explicitBindThenJoinKeepsTheBoundPortAndSecondBindIsWsaeinval() throws Exception {
        Loopback.assumeIpv4();
        SOCKADDR group = Loopback.group4();
        socket.bind(SOCKADDR.any(AF_INET, group.port));
        try {
            socket.bind(SOCKADDR.any(AF_INET, 0));
            fail("second bind accepted");
        } catch (WsaException e) {
            assertEquals(WSAEINVAL, e.code());
        }
        Loopback.join(socket, group);
        assertArrayEquals(new byte[4], socket.localAddress().addr);
        assertEquals(group.port, socket.localAddress().port);
    }

    private static ConnectRequest request(SOCKADDR group, int direction, byte[] callerData) {
        return new ConnectRequest(group, callerData, 0, null, direction, null);
    }
}
