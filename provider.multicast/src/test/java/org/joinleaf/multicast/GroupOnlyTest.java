package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.FD_READ_BIT;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.WSAEWOULDBLOCK;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Test;

/**
 * Issue 11, envelope E5 (unicast to the group's port): datagrams sent to 127.0.0.1 or 127.0.0.2 at the group's port
 * were delivered as group data. A multicast socket receives its group only (decision in {@link GroupReceiver}).
 */
public class GroupOnlyTest extends ProviderOnLoopback {

    @Test
    public void issue11_unicastToTheGroupsPortIsNotDeliveredAsGroupData() throws Exception {
        SOCKADDR group = Loopback.group4();
        RecordingUpcalls events = new RecordingUpcalls();
        LeafSocket member = Loopback.socket(provider, AF_INET, events);
        Loopback.join(member, group, JL_BOTH);

        try (DatagramChannel sender = ReceiveBudgetTest.loopbackSender()) {
            for (String host : new String[] {"127.0.0.1", "127.0.0.2"}) {
                sender.send(text("unicast to " + host), new InetSocketAddress(InetAddress.getByName(host), group.port));
            }
            sender.send(text("group"), group.toInetSocketAddress());
        }

        assertTrue("the group's datagram arrives", events.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        ByteBuffer buf = ByteBuffer.allocate(100);
        int n = member.receive(buf, null, false);
        assertEquals("group", new String(buf.array(), 0, n, StandardCharsets.US_ASCII));
        try {
            member.receive(ByteBuffer.allocate(100), null, false);
            fail("a unicast datagram was delivered as group data");
        } catch (WsaException e) {
            assertEquals(WSAEWOULDBLOCK, e.code());
        }
        assertEquals("nothing else arrived", 0, member.available());
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
