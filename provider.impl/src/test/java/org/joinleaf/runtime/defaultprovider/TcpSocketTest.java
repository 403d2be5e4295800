package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.runtime.defaultprovider.ProviderFixture.*;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;

/** TCP transport of the default provider on loopback (§4 bind/listen/accept, WSAConnect, FD events). */
public class TcpSocketTest {
    @Rule
    public final ProviderFixture fixture = new ProviderFixture();

    private final RecordingUpcalls listenerEvents = new RecordingUpcalls();
    private final RecordingUpcalls clientEvents = new RecordingUpcalls();
    private final RecordingUpcalls serverEvents = new RecordingUpcalls();

    @Test
    public void bindGivesTheRealEphemeralPortAndRefusesASecondBind() throws Exception { // §4 bind
        ProviderSocket s = fixture.socket(AF_INET, SOCK_STREAM, clientEvents);
        assertNull("unbound", s.localAddress());
        s.bind(loopback(0));
        SOCKADDR local = s.localAddress();
        assertEquals(AF_INET, local.sa_family);
        assertNotEquals("the real port, not 0", 0, local.port);
        expectWsa(WSAEINVAL, () -> s.bind(loopback(0)));
    }

    @Test
    public void bindToAPortInUseIsAddrInUse() throws Exception { // §4 bind: WSAEADDRINUSE
        ProviderSocket first = fixture.listener(listenerEvents);
        ProviderSocket second = fixture.socket(AF_INET, SOCK_STREAM, clientEvents);
        expectWsa(WSAEADDRINUSE, () -> second.bind(first.localAddress()));
    }

    @Test
    public void bindToAForeignAddressIsAddrNotAvail() throws Exception { // §4 bind: WSAEADDRNOTAVAIL
        ProviderSocket s = fixture.socket(AF_INET, SOCK_STREAM, clientEvents);
        expectWsa(WSAEADDRNOTAVAIL, () -> s.bind(SOCKADDR.of("192.0.2.1", 0))); // TEST-NET-1, never local
    }

    @Test
    public void listenNeedsBind() throws Exception { // §4 listen: WSAEINVAL before bind
        ProviderSocket s = fixture.socket(AF_INET, SOCK_STREAM, clientEvents);
        expectWsa(WSAEINVAL, () -> s.listen(5));
        assertFalse(s.isListening());
    }

    @Test
    public void connectAcceptAndDataBothWays() throws Exception { // §4 WSAConnect/WSAAccept, FD_ACCEPT, FD_READ
        ProviderSocket listener = fixture.listener(listenerEvents);
        assertTrue(listener.isListening());
        assertNull(listener.pendingRequest());
        ProviderSocket client = fixture.connectTo(listener, listenerEvents, clientEvents);
        assertNotEquals(0, client.localAddress().port); // implicit bind

        ConnectionRequest request = head(listener);
        assertSame("peek does not remove", request, listener.pendingRequest());
        assertEquals(client.localAddress(), request.callerAddress());
        assertNull(request.callerData());
        assertNull(request.callerQos());
        assertEquals("no connect data on TCP", 0, request.calleeDataCapacity());
        ProviderSocket server = request.accept(null, serverEvents);
        assertNull(listener.pendingRequest());
        assertEquals(client.localAddress(), server.peerAddress());
        assertEquals(server.localAddress(), client.peerAddress());

        byte[] ping = "ping from the client".getBytes(StandardCharsets.US_ASCII);
        sendAll(client, clientEvents, ping);
        assertArrayEquals(ping, receiveExactly(server, serverEvents, ping.length));

        byte[] pong = "pong".getBytes(StandardCharsets.US_ASCII);
        sendAll(server, serverEvents, pong);
        assertEquals(0, clientEvents.await(FD_READ_BIT));
        assertEquals(pong.length, client.available());
        ByteBuffer peeked = ByteBuffer.allocate(16);
        assertEquals(pong.length, client.receive(peeked, null, true));
        assertEquals("peek leaves the data", pong.length, client.available());
        SOCKADDR from = new SOCKADDR();
        assertArrayEquals(pong, receiveExactly(client, clientEvents, pong.length));
        assertEquals(0, client.available());
        expectWsa(WSAEWOULDBLOCK, () -> client.receive(ByteBuffer.allocate(4), from, false));
    }

    @Test
    public void sendAndReceiveNeedAConnection() throws Exception { // §4: WSAENOTCONN
        ProviderSocket s = fixture.socket(AF_INET, SOCK_STREAM, clientEvents);
        expectWsa(WSAENOTCONN, () -> s.send(ByteBuffer.allocate(1), null));
        expectWsa(WSAENOTCONN, () -> s.receive(ByteBuffer.allocate(1), null, false));
        expectWsa(WSAENOTCONN, () -> s.shutdown(SD_SEND));
    }

    @Test
    public void connectToAClosedPortIsRefusedAndMayBeRetried() throws Exception { // R22, scenario 20/25 (connect)
        ProviderSocket probe = fixture.socket(AF_INET, SOCK_STREAM, clientEvents);
        probe.bind(loopback(0));
        SOCKADDR closedPort = probe.localAddress();
        probe.close();

        ProviderSocket client = fixture.socket(AF_INET, SOCK_STREAM, clientEvents);
        RecordingCompletion refused = new RecordingCompletion();
        client.connect(connectRequest(closedPort), refused);
        assertEquals(refused.message(), WSAECONNREFUSED, refused.awaitCode());

        ProviderSocket listener = fixture.listener(listenerEvents);
        RecordingCompletion retried = new RecordingCompletion();
        client.connect(connectRequest(listener.localAddress()), retried);
        assertEquals(retried.message(), 0, retried.awaitCode());
        assertEquals(1, refused.calls());
        assertEquals(1, retried.calls());
    }

    @Test
    public void connectOnAConnectedOrListeningSocketFails() throws Exception { // R20 applied to WSAConnect
        ProviderSocket listener = fixture.listener(listenerEvents);
        ProviderSocket client = fixture.connectTo(listener, listenerEvents, clientEvents);
        expectWsa(WSAEISCONN, () -> client.connect(connectRequest(listener.localAddress()), new RecordingCompletion()));
        expectWsa(WSAEINVAL, () -> listener.connect(connectRequest(client.localAddress()), new RecordingCompletion()));
    }

    @Test
    public void gracefulCloseGivesDataThenFdCloseZeroAndReceiveZero() throws Exception { // §4 FD_CLOSE 0
        ProviderSocket listener = fixture.listener(listenerEvents);
        ProviderSocket client = fixture.connectTo(listener, listenerEvents, clientEvents);
        ProviderSocket server = head(listener).accept(null, serverEvents);

        byte[] last = "last words".getBytes(StandardCharsets.US_ASCII);
        sendAll(server, serverEvents, last);
        server.close();

        assertArrayEquals("queued data arrives before the FIN", last,
                receiveExactly(client, clientEvents, last.length));
        assertEquals("graceful", 0, clientEvents.await(FD_CLOSE_BIT));
        assertEquals(0, client.receive(ByteBuffer.allocate(8), null, false));
        assertEquals("stays at end of stream", 0, client.receive(ByteBuffer.allocate(8), null, false));
    }

    @Test
    public void shutdownSendSendsFinAndRefusesLaterSends() throws Exception { // §4 shutdown: WSAESHUTDOWN
        ProviderSocket listener = fixture.listener(listenerEvents);
        ProviderSocket client = fixture.connectTo(listener, listenerEvents, clientEvents);
        ProviderSocket server = head(listener).accept(null, serverEvents);

        client.shutdown(SD_SEND);
        expectWsa(WSAESHUTDOWN, () -> client.send(ByteBuffer.allocate(1), null));
        assertEquals(0, serverEvents.await(FD_CLOSE_BIT));
        assertEquals(0, server.receive(ByteBuffer.allocate(1), null, false));

        byte[] reply = "half-closed, still talking".getBytes(StandardCharsets.US_ASCII);
        sendAll(server, serverEvents, reply);
        assertArrayEquals(reply, receiveExactly(client, clientEvents, reply.length));
        client.shutdown(SD_RECEIVE);
        expectWsa(WSAESHUTDOWN, () -> client.receive(ByteBuffer.allocate(1), null, false));
    }

    @Test
    public void rejectResetsTheCaller() throws Exception { // §4 CF_REJECT: the caller sees a reset
        ProviderSocket listener = fixture.listener(listenerEvents);
        ProviderSocket client = fixture.connectTo(listener, listenerEvents, clientEvents);
        head(listener).reject();
        assertNull(listener.pendingRequest());

        assertEquals(WSAECONNRESET, clientEvents.await(FD_CLOSE_BIT));
        expectWsa(WSAECONNRESET, () -> client.receive(ByteBuffer.allocate(1), null, false));
        expectWsa(WSAECONNRESET, () -> client.send(ByteBuffer.allocate(1), null));
    }

    @Test
    public void deferredRequestStaysAtTheHeadAndFdAcceptRepeatsForTheNext() throws Exception { // §4 CF_DEFER
        ProviderSocket listener = fixture.listener(listenerEvents);
        fixture.connectTo(listener, listenerEvents, clientEvents);
        ConnectionRequest first = head(listener);
        fixture.connectTo(listener, listenerEvents, new RecordingUpcalls());
        assertSame("CF_DEFER: neither accept nor reject keeps the head", first, listener.pendingRequest());

        first.accept(null, serverEvents);
        assertEquals("FD_ACCEPT again while requests wait", 0, listenerEvents.await(FD_ACCEPT_BIT));
        assertFalse(first == listener.pendingRequest());
        expectWsa(WSAECONNRESET, () -> first.accept(null, new RecordingUpcalls()));
    }

    @Test
    public void fullSendBufferWouldBlockThenFdWriteThenEverythingArrivesInOrder() throws Exception {
        // §4 FD_WRITE re-armed after WSAEWOULDBLOCK; flow control: reading pauses while the receive buffer is full
        ProviderFixture small = new ProviderFixture(1024, 1024, 4, 16);
        small.before();
        try {
            ProviderSocket listener = small.listener(listenerEvents);
            ProviderSocket client = small.connectTo(listener, listenerEvents, clientEvents);
            ProviderSocket server = head(listener).accept(null, serverEvents);

            int filled = 0;
            boolean refused = false;
            ByteBuffer chunk = ByteBuffer.allocate(1024);
            for (int i = 0; i < 100_000 && !refused; i++) {
                chunk.clear();
                try {
                    filled += client.send(chunk, null);
                } catch (WsaException e) {
                    assertEquals(e.toString(), WSAEWOULDBLOCK, e.code());
                    refused = true;
                }
            }
            assertTrue("the bounded send buffer refused within the loop", refused);
            assertEquals(0, serverEvents.await(FD_READ_BIT));
            assertTrue("the receiver holds at most its limit", server.available() <= 1024);
            assertArrayEquals(new byte[filled], receiveExactly(server, serverEvents, filled));
            assertEquals("room returned after the refused send", 0, clientEvents.await(FD_WRITE_BIT));

            // 300 KB through 1 KB buffers: reading pauses and resumes many times; the bytes must stay in order.
            byte[] pattern = new byte[300_000];
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = (byte) (i * 31 + 7);
            }
            Thread sender = new Thread(() -> {
                try {
                    sendAll(client, clientEvents, pattern);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            sender.start();
            assertArrayEquals(pattern, receiveExactly(server, serverEvents, pattern.length));
            sender.join(RecordingUpcalls.TIMEOUT_MILLIS);
            assertFalse(sender.isAlive());
        } finally {
            small.after();
        }
    }

    @Test
    public void ipv6Loopback() throws Exception { // §4 with AF_INET6 entries
        ProviderSocket listener = fixture.socket(AF_INET6, SOCK_STREAM, listenerEvents);
        try {
            listener.bind(SOCKADDR.of("::1", 0));
        } catch (WsaException e) {
            Assume.assumeNoException("no IPv6 loopback here", e);
        }
        listener.listen(1);
        ProviderSocket client = fixture.socket(AF_INET6, SOCK_STREAM, clientEvents);
        RecordingCompletion done = new RecordingCompletion();
        client.connect(connectRequest(listener.localAddress()), done);
        assertEquals(done.message(), 0, done.awaitCode());
        assertEquals(0, listenerEvents.await(FD_ACCEPT_BIT));
        ProviderSocket server = head(listener).accept(null, serverEvents);
        assertEquals(AF_INET6, server.peerAddress().sa_family);
        assertEquals(28, client.localAddress().size());
    }

    @Test
    public void pendingConnectIsAlreadyAndCloseCancelsItWithoutCompletion() throws Exception {
        // R18 applied to WSAConnect; SPI close(): a cancelled connect never completes
        ProviderSocket listener = fixture.listener(listenerEvents);
        ProviderSocket client = fixture.socket(AF_INET, SOCK_STREAM, clientEvents);
        RecordingCompletion completion = new RecordingCompletion();
        // Holding the socket's monitor keeps the I/O loop from completing the connect meanwhile (white box).
        synchronized (client) {
            client.connect(connectRequest(listener.localAddress()), completion);
            Assume.assumeFalse("connected synchronously: nothing pending to test", completion.finished());
            expectWsa(WSAEALREADY, () -> client.connect(connectRequest(listener.localAddress()),
                    new RecordingCompletion()));
            client.close();
        }
        assertEquals("the kernel still accepted the connection", 0, listenerEvents.await(FD_ACCEPT_BIT));
        fixture.connectTo(listener, listenerEvents, new RecordingUpcalls()); // a later loop round trip
        assertEquals(0, completion.calls());
    }
}
