package org.joinleaf.local;

import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;

/** A started provider plus shortcuts to make sockets, join them and move text messages, as the runtime would. */
final class Harness implements AutoCloseable {
    /** A socket and the events the provider posted for it. */
    record Sock(ProviderSocket socket, RecordingUpcalls events) {
        MultipointSocket mp() {
            return (MultipointSocket) socket;
        }
    }

    final LocalProvider provider = new LocalProvider();

    Harness() {
        this(LocalSettings.from(ConfigValues.defaults(LocalConfig.class)));
    }

    Harness(LocalSettings settings) {
        provider.start(settings);
    }

    static LocalSettings settings(int joinTimeoutMillis, int queue, SlowLeafPolicy policy) {
        return LocalSettings.from(ConfigValues.of(LocalConfig.class, Map.of("joinTimeoutMillis", joinTimeoutMillis,
                "receiveQueueMessages", queue, "slowLeafPolicy", policy)));
    }

    LocalNetwork network() {
        return provider.network();
    }

    WSAPROTOCOL_INFO entry(String name, int family) {
        for (WSAPROTOCOL_INFO e : provider.protocols()) {
            if (e.szProtocol.equals(name) && e.iAddressFamily == family) {
                return new WSAPROTOCOL_INFO(e);
            }
        }
        throw new AssertionError("no entry " + name);
    }

    Sock socket(String entry, int dwFlags) throws WsaException {
        RecordingUpcalls up = new RecordingUpcalls();
        return new Sock(provider.socket(entry(entry, Winsock2.AF_INET), dwFlags, up), up);
    }

    /** A c_root bound to 127.0.0.1:{@code port} and listening. */
    Sock listeningRoot(String entry, int port) throws WsaException {
        int d = entry.equals(LocalCatalog.ROOTED) ? Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT
                : Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
        Sock root = socket(entry, Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT | d);
        root.socket().bind(addr(port));
        root.socket().listen(8);
        return root;
    }

    Sock leaf(String entry) throws WsaException {
        return socket(entry, Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF | Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF);
    }

    /** Leaf-initiated join admitted by the root; returns the root's c_leaf for it. */
    Sock admit(Sock root, Sock leaf, int direction) throws Exception {
        RecordingCompletion joined = new RecordingCompletion();
        leaf.mp().join(request(root.socket().localAddress(), null, direction), joined);
        root.events().await(Winsock2.FD_ACCEPT_BIT);
        RecordingUpcalls linkEvents = new RecordingUpcalls();
        ConnectionRequest r = root.socket().pendingRequest();
        ProviderSocket link = r.accept(new byte[0], linkEvents);
        joined.awaitConnected();
        return new Sock(link, linkEvents);
    }

    static SOCKADDR addr(int port) {
        return SOCKADDR.of("127.0.0.1", port);
    }

    static ConnectRequest request(SOCKADDR name, byte[] callerData, int direction) {
        return new ConnectRequest(name, callerData, 64, null, direction, null);
    }

    static int send(ProviderSocket s, String text) throws WsaException {
        return s.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), null);
    }

    /** Receives one message that must be there. */
    static String receive(ProviderSocket s, SOCKADDR from) throws WsaException {
        ByteBuffer b = ByteBuffer.allocate(1024);
        int n = s.receive(b, from, false);
        return new String(b.array(), 0, n, StandardCharsets.UTF_8);
    }

    /** Asserts nothing is queued for {@code s}. */
    static void assertNothingQueued(ProviderSocket s) {
        assertEquals(0, s.available());
        expectWsa(Winsock2.WSAEWOULDBLOCK, () -> receive(s, null));
    }

    @Override
    public void close() {
        provider.deactivate();
    }
}
