package org.joinleaf.local;

import static org.joinleaf.local.Harness.assertNothingQueued;
import static org.joinleaf.local.Harness.receive;
import static org.joinleaf.local.Harness.send;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.local.Harness.Sock;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.After;
import org.junit.Test;

/** The non-rooted entry (P-np, group H). */
public class MulticastTest {
    private static final SOCKADDR GROUP = SOCKADDR.of("239.1.2.3", 5000);

    private Harness h = new Harness();

    @After
    public void stop() {
        h.close();
    }

    private Sock member(int direction) throws Exception {
        Sock s = h.leaf(LocalCatalog.MULTICAST);
        RecordingCompletion joined = new RecordingCompletion();
        ProviderSocket result = s.mp().join(new ConnectRequest(GROUP, new byte[] {1}, 16, null, direction, null),
                joined);
        assertSame("R24", s.socket(), result);
        assertNull("no callee data on a non-rooted join", joined.awaitConnected());
        assertNotNull("implicit bind (R10)", s.socket().localAddress());
        return s;
    }

    // Scenarios 19, 42, §4 SIO_MULTIPOINT_LOOPBACK default TRUE
    @Test
    public void groupSendReachesMembersAndSelfOnlyWithLoopback() throws Exception {
        Sock a = member(Winsock2.JL_BOTH);
        Sock b = member(Winsock2.JL_RECEIVER_ONLY);

        send(a.socket(), "hi");

        SOCKADDR from = new SOCKADDR();
        assertEquals("hi", receive(b.socket(), from));
        assertEquals(a.socket().localAddress(), from);
        assertEquals("hi", receive(a.socket(), null));
        a.socket().ioctl(Winsock2.SIO_MULTIPOINT_LOOPBACK, Boolean.FALSE, null);
        send(a.socket(), "again");
        assertEquals("again", receive(b.socket(), null));
        assertNothingQueued(a.socket());
    }

    // Scenario 43, §1.3: JL_SENDER_ONLY does not subscribe; sending to a group needs no join
    @Test
    public void senderOnlyMemberReceivesNothingButCanSend() throws Exception {
        Sock a = member(Winsock2.JL_BOTH);
        Sock b = member(Winsock2.JL_SENDER_ONLY);

        send(a.socket(), "x");
        assertNothingQueued(b.socket());
        assertEquals("x", receive(a.socket(), null)); // loopback on (off would drop y and z too, issue 13)
        send(b.socket(), "y");
        assertEquals("y", receive(a.socket(), null));

        Sock outsider = h.leaf(LocalCatalog.MULTICAST);
        outsider.socket().send(ByteBuffer.wrap("z".getBytes()), GROUP);
        assertEquals("z", receive(a.socket(), null));
        expectWsa(Winsock2.WSAENOTCONN, () -> send(outsider.socket(), "nowhere"));
    }

    // §3 R5 for a non-group address; closesocket leaves the group (§1.3)
    @Test
    public void joinNeedsAGroupAndCloseLeavesIt() throws Exception {
        Sock s = h.leaf(LocalCatalog.MULTICAST);
        expectWsa(Winsock2.WSAEADDRNOTAVAIL, () -> s.mp().join(new ConnectRequest(SOCKADDR.of("127.0.0.1", 5000),
                null, 0, null, Winsock2.JL_BOTH, null), new RecordingCompletion()));
        Sock a = member(Winsock2.JL_BOTH);
        Sock b = member(Winsock2.JL_BOTH);
        b.socket().close();
        a.socket().ioctl(Winsock2.SIO_MULTIPOINT_LOOPBACK, Boolean.FALSE, null);

        send(a.socket(), "only a was left");

        assertEquals(0, b.events().count(Winsock2.FD_READ_BIT));
        assertEquals(0, h.network().droppedDatagrams());
    }

    // Datagram backpressure: a full receiver drops and counts; the sender is not refused
    @Test
    public void fullReceiverDropsAndCounts() throws Exception {
        h.close();
        h = new Harness(Harness.settings(5000, 1, SlowLeafPolicy.EVICT));
        Sock a = member(Winsock2.JL_SENDER_ONLY);
        Sock b = member(Winsock2.JL_BOTH);

        assertEquals(1, send(a.socket(), "1"));
        assertEquals(1, send(a.socket(), "2"));

        assertEquals(1, h.network().droppedDatagrams());
        assertEquals("1", receive(b.socket(), null));
        assertNothingQueued(b.socket());
    }

    // Issue 11, envelope E5 (unicast to a member delivered as group data): a member receives its group only
    @Test
    public void issue11_unicastToAGroupMemberIsNotDeliveredAsGroupData() throws Exception {
        Sock member = member(Winsock2.JL_RECEIVER_ONLY);
        Sock outsider = h.leaf(LocalCatalog.MULTICAST);

        outsider.socket().send(ByteBuffer.wrap("unicast".getBytes()), member.socket().localAddress());
        outsider.socket().send(ByteBuffer.wrap("group".getBytes()), GROUP);

        assertEquals("group", receive(member.socket(), null));
        assertNothingQueued(member.socket());
    }

    // IPv6 entry: ff00::/8 groups, ::1 addresses (§1.3)
    @Test
    public void ipv6GroupWorks() throws Exception {
        RecordingUpcalls up = new RecordingUpcalls();
        ProviderSocket s = h.provider.socket(h.entry(LocalCatalog.MULTICAST, Winsock2.AF_INET6),
                Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF | Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF, up);
        SOCKADDR group = SOCKADDR.of("ff15::1234", 6000);
        RecordingCompletion joined = new RecordingCompletion();
        ((org.joinleaf.spi.MultipointSocket) s).join(new ConnectRequest(group, null, 0, null, Winsock2.JL_BOTH,
                null), joined);
        joined.awaitConnected();
        assertEquals(SOCKADDR.of("::1", 0).addr.length, s.localAddress().addr.length);

        s.send(ByteBuffer.wrap(new byte[] {7}), null);

        assertEquals(0, up.await(Winsock2.FD_READ_BIT));
        assertEquals(1, s.available());
    }
}
