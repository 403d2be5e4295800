package org.joinleaf.runtime.defaultprovider;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.util.Map;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.rules.ExternalResource;

/** An activated {@link DefaultProvider} on loopback, deactivated after each test; helpers for the socket tests. */
final class ProviderFixture extends ExternalResource {
    final DefaultProvider provider = new DefaultProvider();
    private final DefaultProviderConfig config;
    private boolean active;

    ProviderFixture() {
        this(ConfigValues.defaults(DefaultProviderConfig.class));
    }

    ProviderFixture(int receiveBufferBytes, int sendBufferBytes, int maxBacklog, int maxSockets) {
        this(config(receiveBufferBytes, sendBufferBytes, maxBacklog, maxSockets, 0));
    }

    ProviderFixture(DefaultProviderConfig config) {
        this.config = config;
    }

    @Override
    protected void before() {
        provider.activate(config);
        active = true;
    }

    @Override
    protected void after() {
        deactivate();
    }

    void deactivate() {
        if (active) {
            active = false;
            try {
                provider.deactivate();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    WSAPROTOCOL_INFO entry(int family, int type) {
        return provider.protocols().stream()
                .filter(e -> e.iAddressFamily == family && e.iSocketType == type)
                .findFirst().orElseThrow();
    }

    ProviderSocket socket(int family, int type, RecordingUpcalls upcalls) throws WsaException {
        return provider.socket(entry(family, type), 0, upcalls);
    }

    static SOCKADDR loopback(int port) {
        return SOCKADDR.of("127.0.0.1", port);
    }

    static ConnectRequest connectRequest(SOCKADDR to) {
        return new ConnectRequest(to, null, 0, null, JL_BOTH, null);
    }

    /** A TCP/IPv4 listener bound to an ephemeral loopback port. */
    ProviderSocket listener(RecordingUpcalls upcalls) throws WsaException {
        ProviderSocket s = socket(AF_INET, SOCK_STREAM, upcalls);
        s.bind(loopback(0));
        s.listen(SOMAXCONN);
        return s;
    }

    /** Connects a new client to {@code listener} and waits for the connection request to be queued there. */
    ProviderSocket connectTo(ProviderSocket listener, RecordingUpcalls listenerUpcalls, RecordingUpcalls clientUpcalls)
            throws Exception {
        ProviderSocket client = socket(AF_INET, SOCK_STREAM, clientUpcalls);
        RecordingCompletion completion = new RecordingCompletion();
        client.connect(connectRequest(listener.localAddress()), completion);
        assertEquals("connect outcome: " + completion.message(), 0, completion.awaitCode());
        assertEquals(0, listenerUpcalls.await(FD_ACCEPT_BIT));
        return client;
    }

    /** Takes the head request of {@code listener}. */
    static ConnectionRequest head(ProviderSocket listener) {
        ConnectionRequest r = listener.pendingRequest();
        if (r == null) {
            fail("no connection request queued after FD_ACCEPT");
        }
        return r;
    }

    /** Sends all of {@code data}, waiting for FD_WRITE whenever the socket refuses (bounded by the timeout). */
    static void sendAll(ProviderSocket s, RecordingUpcalls upcalls, byte[] data) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            try {
                s.send(b, null);
            } catch (WsaException e) {
                assertEquals(e.toString(), WSAEWOULDBLOCK, e.code());
                assertEquals(0, upcalls.await(FD_WRITE_BIT));
            }
        }
    }

    /** Receives exactly {@code n} bytes, waiting for FD_READ whenever nothing is queued. */
    static byte[] receiveExactly(ProviderSocket s, RecordingUpcalls upcalls, int n) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            try {
                int got = s.receive(b, null, false);
                if (got == 0) {
                    fail("graceful close after " + b.position() + " of " + n + " bytes");
                }
            } catch (WsaException e) {
                assertEquals(e.toString(), WSAEWOULDBLOCK, e.code());
                assertEquals(0, upcalls.await(FD_READ_BIT));
            }
        }
        return b.array();
    }

    /** The Metatype defaults with these values over them. */
    static DefaultProviderConfig config(int receiveBufferBytes, int sendBufferBytes, int maxBacklog,
                                        int maxSockets, int totalReceiveBytes) {
        return ConfigValues.of(DefaultProviderConfig.class, Map.of("receiveBufferBytes", receiveBufferBytes,
                "sendBufferBytes", sendBufferBytes, "maxBacklog", maxBacklog, "maxSockets", maxSockets,
                "totalReceiveBytes", totalReceiveBytes));
    }
}
