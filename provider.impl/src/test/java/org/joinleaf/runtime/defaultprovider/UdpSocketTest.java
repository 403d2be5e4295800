package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.runtime.defaultprovider.ProviderFixture.*;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Rule;
import org.junit.Test;

/** UDP transport of the default provider on loopback (§4 sendto/recvfrom, WSAIoctl, message limits). */
public class UdpSocketTest {
    @Rule
    public final ProviderFixture fixture = new ProviderFixture();

    private final RecordingUpcalls aEvents = new RecordingUpcalls();
    private final RecordingUpcalls bEvents = new RecordingUpcalls();

    private ProviderSocket bound(RecordingUpcalls events) throws Exception {
        ProviderSocket s = fixture.socket(AF_INET, SOCK_DGRAM, events);
        assertNull("unbound", s.localAddress());
        s.bind(loopback(0));
        assertNotEquals(0, s.localAddress().port);
        return s;
    }

    @Test
    public void sendtoAndRecvfromNameTheSender() throws Exception { // §4 recvfrom fills from, FD_READ
        ProviderSocket a = bound(aEvents);
        ProviderSocket b = bound(bEvents);
        byte[] hello = "hello, b".getBytes(StandardCharsets.US_ASCII);
        assertEquals(hello.length, a.send(ByteBuffer.wrap(hello), b.localAddress()));

        assertEquals(0, bEvents.await(FD_READ_BIT));
        assertEquals("FIONREAD: size of the next datagram", hello.length, b.available());
        ByteBuffer into = ByteBuffer.allocate(100);
        SOCKADDR from = new SOCKADDR();
        assertEquals(hello.length, b.receive(into, from, false));
        assertArrayEquals(hello, Arrays.copyOf(into.array(), into.position()));
        assertEquals(a.localAddress(), from);
        assertEquals(0, b.available());
        expectWsa(WSAEWOULDBLOCK, () -> b.receive(ByteBuffer.allocate(1), null, false));
    }

    @Test
    public void largerDatagramThanBufferIsTruncatedWithMsgSize() throws Exception { // §4 recv: WSAEMSGSIZE
        ProviderSocket a = bound(aEvents);
        ProviderSocket b = bound(bEvents);
        a.send(ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.US_ASCII)), b.localAddress());
        a.send(ByteBuffer.wrap("next".getBytes(StandardCharsets.US_ASCII)), b.localAddress());
        assertEquals(0, bEvents.await(FD_READ_BIT));

        ByteBuffer peek = ByteBuffer.allocate(4);
        expectWsa(WSAEMSGSIZE, () -> b.receive(peek, null, true));
        assertEquals("peek keeps the datagram", 10, b.available());
        ByteBuffer small = ByteBuffer.allocate(4);
        expectWsa(WSAEMSGSIZE, () -> b.receive(small, new SOCKADDR(), false));
        assertEquals("the buffer is filled with the head", "0123",
                new String(small.array(), StandardCharsets.US_ASCII));
        ByteBuffer next = ByteBuffer.allocate(100);
        // The second datagram may still be in flight; an FD_READ already recorded says nothing about it, so wait
        // for it to be queued (bounded).
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (b.available() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals("the rest of the first datagram is gone", 4, b.receive(next, null, false));
    }

    @Test
    public void sendLimitsAndDestination() throws Exception { // dwMessageSize 65467, WSAEDESTADDRREQ
        ProviderSocket a = bound(aEvents);
        ProviderSocket b = bound(bEvents);
        expectWsa(WSAEMSGSIZE, () -> a.send(ByteBuffer.allocate(65468), b.localAddress()));
        expectWsa(WSAEDESTADDRREQ, () -> a.send(ByteBuffer.allocate(1), null));
        assertEquals(65467, a.send(ByteBuffer.allocate(65467), b.localAddress()));
        assertEquals(0, bEvents.await(FD_READ_BIT));
        assertEquals(65467, b.available());
    }

    @Test
    public void connectSetsTheDefaultPeerAndCompletesAtOnce() throws Exception { // WSAConnect on UDP
        ProviderSocket a = fixture.socket(AF_INET, SOCK_DGRAM, aEvents);
        ProviderSocket b = bound(bEvents);
        RecordingCompletion done = new RecordingCompletion();
        a.connect(connectRequest(b.localAddress()), done);
        assertEquals("completed before connect returned", true, done.finished());
        assertEquals(0, done.awaitCode());
        assertNotEquals("implicit bind", 0, a.localAddress().port);
        assertEquals(b.localAddress(), a.peerAddress());

        assertEquals(3, a.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), null));
        assertEquals(0, bEvents.await(FD_READ_BIT));
        SOCKADDR from = new SOCKADDR();
        assertEquals(3, b.receive(ByteBuffer.allocate(3), from, false));
        assertEquals(a.localAddress(), from);
    }

    @Test
    public void shutdownSendRefusesSends() throws Exception { // §4 shutdown on datagram sockets
        ProviderSocket a = bound(aEvents);
        a.shutdown(SD_SEND);
        expectWsa(WSAESHUTDOWN, () -> a.send(ByteBuffer.allocate(1), a.localAddress()));
        a.shutdown(SD_RECEIVE);
        expectWsa(WSAESHUTDOWN, () -> a.receive(ByteBuffer.allocate(1), null, false));
        expectWsa(WSAEINVAL, () -> a.shutdown(7));
    }

    @Test
    public void multicastIoctlsMapToIpOptionsOthersAreNotSupported() throws Exception { // §4 WSAIoctl, §2.6
        ProviderSocket a = bound(aEvents);
        a.ioctl(SIO_MULTIPOINT_LOOPBACK, Boolean.FALSE, null);
        a.ioctl(SIO_MULTICAST_SCOPE, 0, null);
        expectWsa(WSAEINVAL, () -> a.ioctl(SIO_MULTICAST_SCOPE, 256, null));
        expectWsa(WSAEFAULT, () -> a.ioctl(SIO_MULTIPOINT_LOOPBACK, "yes", null));
        expectWsa(WSAEOPNOTSUPP, () -> a.ioctl(SIO_GET_QOS, null, null));
        ProviderSocket tcp = fixture.socket(AF_INET, SOCK_STREAM, bEvents);
        expectWsa(WSAEOPNOTSUPP, () -> tcp.ioctl(SIO_MULTIPOINT_LOOPBACK, Boolean.TRUE, null));
    }
}
