package org.joinleaf.multicast;

import static org.joinleaf.api.Winsock2.AF_INET6;
import static org.joinleaf.api.Winsock2.FD_READ_BIT;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.SIO_MULTIPOINT_LOOPBACK;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Assume;
import org.junit.Test;

/** The IPv6 entry over {@code lo} (::1); skipped where the kernel does not route IPv6 multicast on loopback. */
public class Ipv6MulticastTest extends ProviderOnLoopback {
    @Override
    boolean needsIpv4() {
        return false;
    }

    // R10, R24 on AF_INET6: the join binds [::]:groupPort and subscribes (needs no delivery, so runs everywhere
    // an IPv6 membership can be added on lo).
    @Test
    public void ipv6JoinBindsWildcardAndSubscribes() throws Exception {
        SOCKADDR group = Loopback.group6();
        LeafSocket a = Loopback.socket(provider, AF_INET6, new RecordingUpcalls());
        RecordingCompletion completion = new RecordingCompletion();
        assertSame(a, a.join(new ConnectRequest(group, null, 0, null, JL_BOTH, null), completion));
        Assume.assumeTrue("IPv6 membership on lo refused: " + completion.message(), completion.connected());
        assertEquals(SOCKADDR.any(AF_INET6, group.port), a.localAddress());
        assertTrue(a.isSubscribed());
    }

    // Scenario 42 on AF_INET6: B receives A's datagram from [::1]:port; A with loopback FALSE does not.
    @Test
    public void scenario42_ipv6MembersExchangeDatagrams() throws Exception {
        Loopback.assumeIpv6();
        SOCKADDR group = Loopback.group6();
        RecordingUpcalls aEvents = new RecordingUpcalls();
        RecordingUpcalls bEvents = new RecordingUpcalls();
        LeafSocket a = Loopback.socket(provider, AF_INET6, aEvents);
        LeafSocket b = Loopback.socket(provider, AF_INET6, bEvents);
        Loopback.join(a, group, JL_BOTH);
        Loopback.join(b, group, JL_BOTH);
        assertEquals(SOCKADDR.any(AF_INET6, group.port), a.localAddress());
        a.ioctl(SIO_MULTIPOINT_LOOPBACK, Boolean.FALSE, null);

        a.send(ByteBuffer.wrap(new byte[] {42}), null);

        assertTrue(bEvents.await(FD_READ_BIT, Loopback.WAIT_MILLIS));
        SOCKADDR from = new SOCKADDR();
        assertEquals(1, b.receive(ByteBuffer.allocate(8), from, false));
        assertEquals(AF_INET6, from.sa_family);
        assertTrue("from is loopback: " + from, from.toInetSocketAddress().getAddress().isLoopbackAddress());
        assertEquals(a.localAddress().port, from.port);
        assertTrue(Loopback.eventually(() -> a.filteredDatagrams() == 1));
        assertEquals(0, aEvents.posted(FD_READ_BIT));
    }
}
