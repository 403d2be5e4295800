package org.joinleaf.local;

import static org.joinleaf.local.Harness.assertNothingQueued;
import static org.joinleaf.local.Harness.receive;
import static org.joinleaf.local.Harness.send;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.local.Harness.Sock;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 13, deliverable 2, on the local provider's non-rooted entry: the same rules as provider.multicast's
 * {@code WindowsBehaviourTest}.
 */
public class WindowsBehaviourTest {
    private static final SOCKADDR GROUP = SOCKADDR.of("239.255.13.1", 5013);
    private static final SOCKADDR OTHER_GROUP = SOCKADDR.of("239.255.13.2", 5014);

    private final Harness h = new Harness();

    @After
    public void stop() {
        h.close();
    }

    @Test
    public void issue13_bindToInterfaceAddressThenJoinReceives() throws Exception {
        Sock receiver = h.leaf(LocalCatalog.MULTICAST);
        receiver.socket().bind(SOCKADDR.of("127.0.0.1", GROUP.port));
        join(receiver, GROUP, Winsock2.JL_RECEIVER_ONLY);
        Sock sender = h.leaf(LocalCatalog.MULTICAST);

        sender.socket().send(text("to the group"), GROUP);

        assertEquals("to the group", receive(receiver.socket(), null));
    }

    // Windows applies loopback off on the receive path: a member with it off drops what any local socket sent (here:
    // every socket), not only its own; the sender's own setting no longer decides for the others.
    @Test
    public void issue13_loopbackOffIsAppliedOnTheReceivePath() throws Exception {
        Sock off = join(h.leaf(LocalCatalog.MULTICAST), GROUP, Winsock2.JL_BOTH);
        Sock offByOption = join(h.leaf(LocalCatalog.MULTICAST), GROUP, Winsock2.JL_BOTH);
        Sock on = join(h.leaf(LocalCatalog.MULTICAST), GROUP, Winsock2.JL_BOTH);
        off.socket().ioctl(Winsock2.SIO_MULTIPOINT_LOOPBACK, Boolean.FALSE, null);
        offByOption.socket().setOption(Winsock2.IPPROTO_IP, Winsock2.IP_MULTICAST_LOOP, Boolean.FALSE);

        for (int i = 0; i < 100; i++) {
            Sock sender = h.leaf(LocalCatalog.MULTICAST);
            sender.socket().send(text("n" + i), GROUP);
            sender.socket().close();
            assertEquals("n" + i, receive(on.socket(), null));
        }
        send(on.socket(), "from a member with loopback on");
        send(off.socket(), "from a member with loopback off");

        assertEquals("from a member with loopback on", receive(on.socket(), null));
        assertEquals("the receiver's setting decides", "from a member with loopback off", receive(on.socket(), null));
        assertNothingQueued(off.socket());
        assertNothingQueued(offByOption.socket());
        assertEquals(102, ((MulticastSocket) off.socket()).filteredDatagrams());
        assertEquals(102, ((MulticastSocket) offByOption.socket()).filteredDatagrams());
        assertEquals("filtering is no receive-queue drop", 0, h.network().droppedDatagrams());
    }

    @Test
    public void issue13_withoutSoReuseaddrOnBothASecondBindOfTheAddressIsWsaeaddrinuse() throws Exception {
        SOCKADDR address = SOCKADDR.of("127.0.0.1", GROUP.port);
        Sock first = h.leaf(LocalCatalog.MULTICAST);
        first.socket().bind(address);
        Sock second = h.leaf(LocalCatalog.MULTICAST);
        expectWsa(Winsock2.WSAEADDRINUSE, () -> second.socket().bind(address));
        second.socket().setOption(Winsock2.SOL_SOCKET, Winsock2.SO_REUSEADDR, Boolean.TRUE);
        expectWsa(Winsock2.WSAEADDRINUSE, () -> second.socket().bind(address)); // the first did not allow sharing
        first.socket().close();
        second.socket().bind(address);
    }

    @Test
    public void issue13_bindingAGroupAddressIsWsaeaddrnotavail() throws Exception {
        Sock s = h.leaf(LocalCatalog.MULTICAST);
        expectWsa(Winsock2.WSAEADDRNOTAVAIL, () -> s.socket().bind(GROUP));
        assertNull(s.socket().localAddress());
    }

    @Test
    public void issue13_soReuseaddrLetsTwoSocketsShareAPortAndBothReceive() throws Exception {
        SOCKADDR address = SOCKADDR.of("127.0.0.1", GROUP.port);
        Sock a = h.leaf(LocalCatalog.MULTICAST);
        Sock b = h.leaf(LocalCatalog.MULTICAST);
        for (Sock s : new Sock[] {a, b}) {
            s.socket().setOption(Winsock2.SOL_SOCKET, Winsock2.SO_REUSEADDR, Boolean.TRUE);
            s.socket().bind(address);
            join(s, GROUP, Winsock2.JL_RECEIVER_ONLY);
        }

        h.leaf(LocalCatalog.MULTICAST).socket().send(text("both"), GROUP);

        assertEquals("both", receive(a.socket(), null));
        assertEquals("both", receive(b.socket(), null));
    }

    @Test
    public void issue13_connectSetsChangesAndClearsTheDefaultDestination() throws Exception {
        Sock first = join(h.leaf(LocalCatalog.MULTICAST), GROUP, Winsock2.JL_RECEIVER_ONLY);
        Sock second = join(h.leaf(LocalCatalog.MULTICAST), OTHER_GROUP, Winsock2.JL_RECEIVER_ONLY);
        Sock sender = h.leaf(LocalCatalog.MULTICAST);

        expectWsa(Winsock2.WSAENOTCONN, () -> send(sender.socket(), "nowhere"));
        connect(sender.socket(), GROUP);
        send(sender.socket(), "one");
        assertEquals("one", receive(first.socket(), null));
        assertEquals(GROUP, sender.socket().peerAddress());

        connect(sender.socket(), OTHER_GROUP);
        send(sender.socket(), "two");
        assertEquals("a second connect changed the destination", "two", receive(second.socket(), null));

        connect(sender.socket(), new SOCKADDR());
        expectWsa(Winsock2.WSAENOTCONN, () -> send(sender.socket(), "cleared"));
        assertNull(sender.socket().peerAddress());
    }

    @Test
    public void issue13_connectAfterJoinLeafChangesTheDefaultDestination() throws Exception {
        Sock receiver = join(h.leaf(LocalCatalog.MULTICAST), OTHER_GROUP, Winsock2.JL_RECEIVER_ONLY);
        Sock joined = join(h.leaf(LocalCatalog.MULTICAST), GROUP, Winsock2.JL_BOTH);

        connect(joined.socket(), OTHER_GROUP);
        send(joined.socket(), "redirected");
        assertEquals("redirected", receive(receiver.socket(), null));

        connect(joined.socket(), SOCKADDR.any(Winsock2.AF_INET, 0));
        send(joined.socket(), "home");
        assertEquals("cleared: send goes to the joined group again", "home", receive(joined.socket(), null));
    }

    // SO_RCVBUF: the socket's receive queue stands for the kernel buffer; beyond it datagrams are dropped, counted.
    @Test
    public void issue13_soRcvbufBoundsTheReceiveQueueAndDropsAreCounted() throws Exception {
        Sock receiver = join(h.leaf(LocalCatalog.MULTICAST), GROUP, Winsock2.JL_RECEIVER_ONLY);
        int oneDatagram = (int) ReceiveLimits.cost(100);
        receiver.socket().setOption(Winsock2.SOL_SOCKET, Winsock2.SO_RCVBUF, 2 * oneDatagram);
        Sock sender = h.leaf(LocalCatalog.MULTICAST);

        for (int i = 0; i < 3; i++) {
            sender.socket().send(ByteBuffer.allocate(100), GROUP);
        }

        assertEquals("the third did not fit", 1, h.network().droppedDatagrams());
        receive(receiver.socket(), null);
        receive(receiver.socket(), null);
        assertNothingQueued(receiver.socket());
    }

    @Test
    public void issue13_unknownOptionIsWsaenoprotooptAndAWrongValueWsaeinval() throws Exception {
        ProviderSocket s = h.leaf(LocalCatalog.MULTICAST).socket();
        expectWsa(Winsock2.WSAENOPROTOOPT, () -> s.setOption(Winsock2.SOL_SOCKET, 0x7777, 1));
        expectWsa(Winsock2.WSAEINVAL, () -> s.setOption(Winsock2.SOL_SOCKET, Winsock2.SO_REUSEADDR, 1));
        expectWsa(Winsock2.WSAEINVAL, () -> s.setOption(Winsock2.SOL_SOCKET, Winsock2.SO_RCVBUF, -1));
    }

    private static Sock join(Sock s, SOCKADDR group, int direction) throws Exception {
        RecordingCompletion joined = new RecordingCompletion();
        s.mp().join(new ConnectRequest(group, null, 0, null, direction, null), joined);
        joined.awaitConnected();
        return s;
    }

    private static void connect(ProviderSocket s, SOCKADDR to) throws Exception {
        RecordingCompletion done = new RecordingCompletion();
        s.connect(new ConnectRequest(to, null, 0, null, Winsock2.JL_BOTH, null), done);
        done.awaitConnected();
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
