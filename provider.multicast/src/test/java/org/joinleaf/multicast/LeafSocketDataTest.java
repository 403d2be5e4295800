package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.FD_READ_BIT;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.joinleaf.api.Winsock2.JL_SENDER_ONLY;
import static org.joinleaf.api.Winsock2.SIO_GET_QOS;
import static org.joinleaf.api.Winsock2.SIO_MULTICAST_SCOPE;
import static org.joinleaf.api.Winsock2.SIO_MULTIPOINT_LOOPBACK;
import static org.joinleaf.api.Winsock2.WSAEINVAL;
import static org.joinleaf.api.Winsock2.WSAEMSGSIZE;
import static org.joinleaf.api.Winsock2.WSAEOPNOTSUPP;
import static org.joinleaf.api.Winsock2.WSAEWOULDBLOCK;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Data on joined members: delivery, loopback, scope, message boundaries and limits (§4, issue 4 item 3). */
public class LeafSocketDataTest {
    private MulticastProvider provider;
    private SOCKADDR group;

    @Before
    public void start() throws Exception {
        Loopback.assumeIpv4();
        provider = Loopback.provider(Map.of("maxDatagramSize", 2000, "receiveQueueDatagrams", 4));
        group = Loopback.group4();
    }

    @After
    public void stop() {
        if (provider != null) {
            provider.deactivate();
        }
    }

    // Scenario 42 (§1.7, §4): with loopback TRUE (default) both B and the sender A get A's datagram; from names A.
    @Test
    public void scenario42_loopbackTrueDeliversToOtherMembersAndToTheSender() throws Exception {
        RecordingUpcalls aEvents = new RecordingUpcalls();
        RecordingUpcalls bEvents = new RecordingUpcalls();
        LeafSocket a = member(aEvents, JL_BOTH);
        LeafSocket b = member(bEvents, JL_BOTH);

        assertEquals(5, a.send(text("hello"), null));

        assertTrue("B got FD_READ", bEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        assertTrue("A got its own datagram (loopback TRUE)", aEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        for (LeafSocket member : new LeafSocket[] {a, b}) {
            SOCKADDR from = new SOCKADDR();
            ByteBuffer buf = ByteBuffer.allocate(100);
            assertEquals(5, member.receive(buf, from, false));
            assertEquals("hello", new String(buf.array(), 0, 5, StandardCharsets.US_ASCII));
            assertEquals(SOCKADDR.of("127.0.0.1", a.localAddress().port), from);
        }
    }

    // Scenario 42 (§4): SIO_MULTIPOINT_LOOPBACK FALSE on A drops A's own datagram on A's receive path only.
    // Issue 13 (as Windows): every datagram whose source address is this host's is dropped too, whoever sent it.
    @Test
    public void scenario42_loopbackFalseDropsOwnHostTrafficForThatMemberOnly() throws Exception {
        RecordingUpcalls aEvents = new RecordingUpcalls();
        RecordingUpcalls bEvents = new RecordingUpcalls();
        LeafSocket a = member(aEvents, JL_BOTH);
        LeafSocket b = member(bEvents, JL_BOTH);
        a.ioctl(SIO_MULTIPOINT_LOOPBACK, Boolean.FALSE, null);

        a.send(text("own"), null);

        assertTrue("B still receives A's datagram", bEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        assertTrue("A's copy was filtered", Loopback.eventually(() -> a.filteredDatagrams() == 1));
        assertEquals(0, a.available());
        assertEquals(0, aEvents.posted(FD_READ_BIT));
        expectWouldBlock(a);
        ByteBuffer own = ByteBuffer.allocate(16);
        assertEquals("B's copy of A's datagram", 3, b.receive(own, null, false));
        expectWouldBlock(b); // emptied: the next arrival is news again (decision 31)

        try (DatagramChannel foreign = loopbackSender()) {
            foreign.send(text("foreign"), group.toInetSocketAddress());
        }
        assertTrue("B receives the other local sender", bEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        assertTrue("a local sender that is not a provider socket is filtered as well (issue 13)",
                Loopback.eventually(() -> a.filteredDatagrams() == 2));
        assertEquals(0, aEvents.posted(FD_READ_BIT));
        expectWouldBlock(a);
    }

    // Scenario 43 (§1.3): a JL_SENDER_ONLY member receives nothing sent to the group.
    @Test
    public void scenario43_senderOnlyMemberReceivesNothing() throws Exception {
        RecordingUpcalls senderOnlyEvents = new RecordingUpcalls();
        RecordingUpcalls receiverEvents = new RecordingUpcalls();
        LeafSocket a = member(new RecordingUpcalls(), JL_BOTH);
        LeafSocket senderOnly = member(senderOnlyEvents, JL_SENDER_ONLY);
        LeafSocket receiver = member(receiverEvents, JL_RECEIVER_ONLY);

        a.send(text("to the group"), null);
        senderOnly.send(text("from sender-only"), null);

        assertTrue(receiverEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS)); // one FD_READ may announce both
        assertTrue("the receiver got both", Loopback.eventually(() -> receiver.queuedDatagrams() == 2));
        assertEquals(0, senderOnlyEvents.posted(FD_READ_BIT));
        assertEquals(0, senderOnly.available());
        expectWouldBlock(senderOnly);
    }

    // §2.6, §4: SIO_MULTICAST_SCOPE is the IP TTL of the channel; the configured default applies to new sockets.
    @Test
    public void multicastScopeIsAppliedAsTtl() throws Exception {
        LeafSocket a = Loopback.socket(provider, AF_INET, new RecordingUpcalls());
        assertEquals("tests pin defaultScope 0", 0, a.multicastTtl());
        a.ioctl(SIO_MULTICAST_SCOPE, 7, null);
        assertEquals(7, a.multicastTtl());
        a.ioctl(SIO_MULTICAST_SCOPE, 0, null);
        assertEquals(0, a.multicastTtl());
        for (Object bad : new Object[] {-1, 256, "1", null}) {
            try {
                a.ioctl(SIO_MULTICAST_SCOPE, bad, null);
                fail("scope " + bad + " accepted");
            } catch (WsaException e) {
                assertEquals(WSAEINVAL, e.code());
            }
        }
        assertEquals(0, a.multicastTtl());
    }

    @Test
    public void loopbackIoctlNeedsABooleanAndOtherIoctlsAreNotOffered() throws Exception {
        LeafSocket a = Loopback.socket(provider, AF_INET, new RecordingUpcalls());
        try {
            a.ioctl(SIO_MULTIPOINT_LOOPBACK, 0, null);
            fail("non-Boolean accepted");
        } catch (WsaException e) {
            assertEquals(WSAEINVAL, e.code());
        }
        try {
            a.ioctl(SIO_GET_QOS, null, null);
            fail("QoS ioctl accepted");
        } catch (WsaException e) {
            assertEquals(WSAEOPNOTSUPP, e.code());
        }
    }

    // Issue 4 item 3: WSAEMSGSIZE over the configured largest datagram; nothing is sent.
    @Test
    public void sendOverMaxDatagramSizeIsWsaemsgsize() throws Exception {
        LeafSocket a = member(new RecordingUpcalls(), JL_BOTH);
        ByteBuffer big = ByteBuffer.allocate(2001);
        try {
            a.send(big, null);
            fail("oversize datagram sent");
        } catch (WsaException e) {
            assertEquals(WSAEMSGSIZE, e.code());
        }
        assertEquals("the caller's buffer is untouched", 0, big.position());
        assertEquals(2000, a.send(ByteBuffer.allocate(2000), null));
    }

    // Message boundaries (§4, SPI receive): a short buffer gets the head and WSAEMSGSIZE; the rest is discarded.
    // MSG_PEEK leaves the datagram queued.
    @Test
    public void truncatedReceiveIsWsaemsgsizeAndDiscardsTheRest() throws Exception {
        RecordingUpcalls bEvents = new RecordingUpcalls();
        LeafSocket a = member(new RecordingUpcalls(), JL_SENDER_ONLY);
        LeafSocket b = member(bEvents, JL_RECEIVER_ONLY);
        byte[] payload = new byte[100];
        Arrays.fill(payload, (byte) 'x');
        payload[0] = 'A';
        a.send(ByteBuffer.wrap(payload), null);
        a.send(text("next"), null);
        assertTrue(bEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS)); // one FD_READ may announce both
        assertTrue("both queued", Loopback.eventually(() -> b.queuedDatagrams() == 2));
        assertEquals("FIONREAD is the next datagram's size", 100, b.available());

        ByteBuffer small = ByteBuffer.allocate(10);
        SOCKADDR from = new SOCKADDR();
        expectMsgSize(b, small, from, true);
        assertEquals("peek keeps the datagram", 100, b.available());
        small.clear();
        expectMsgSize(b, small, from, false);
        assertEquals(10, small.position());
        assertEquals('A', small.get(0));
        assertEquals(a.localAddress().port, from.port);

        ByteBuffer rest = ByteBuffer.allocate(100);
        assertEquals("the next datagram, not the rest of the first", 4, b.receive(rest, null, false));
        assertArrayEquals(text("next").array(), Arrays.copyOf(rest.array(), 4));
        expectWouldBlock(b);
    }

    // Bounded receive queue (engineering rules): arrivals beyond receiveQueueDatagrams are dropped and counted.
    @Test
    public void fullReceiveQueueDropsAndCounts() throws Exception {
        RecordingUpcalls bEvents = new RecordingUpcalls();
        LeafSocket b = member(bEvents, JL_RECEIVER_ONLY);
        try (DatagramChannel sender = loopbackSender()) {
            for (int i = 0; i < 7; i++) {
                sender.send(ByteBuffer.wrap(new byte[] {(byte) i}), group.toInetSocketAddress());
            }
        }
        assertTrue("3 of 7 dropped with a queue of 4", Loopback.eventually(() -> b.droppedDatagrams() == 3));
        // Decisions 25: one FD_READ per read that queued something, not per datagram (level-triggered).
        assertTrue("FD_READ announced the queued arrivals", bEvents.posted(FD_READ_BIT) >= 1
                && bEvents.posted(FD_READ_BIT) <= 4);
        for (int i = 0; i < 4; i++) {
            ByteBuffer buf = ByteBuffer.allocate(4);
            assertEquals(1, b.receive(buf, null, false));
            assertEquals(i, buf.get(0));
        }
        expectWouldBlock(b);
    }

    private LeafSocket member(RecordingUpcalls events, int direction) throws Exception {
        LeafSocket s = Loopback.socket(provider, AF_INET, events);
        Loopback.join(s, group, direction);
        return s;
    }

    /** A plain JDK sender on lo with TTL 0 from an ephemeral port: not one of the provider's sockets. */
    private static DatagramChannel loopbackSender() throws Exception {
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        c.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
        c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
        c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return c;
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void expectWouldBlock(LeafSocket s) {
        try {
            s.receive(ByteBuffer.allocate(100), null, false);
            fail("a datagram was queued");
        } catch (WsaException e) {
            assertEquals(WSAEWOULDBLOCK, e.code());
        }
    }

    private static void expectMsgSize(LeafSocket s, ByteBuffer buf, SOCKADDR from, boolean peek) {
        try {
            s.receive(buf, from, peek);
            fail("truncation not reported");
        } catch (WsaException e) {
            assertEquals(WSAEMSGSIZE, e.code());
        }
    }
}
