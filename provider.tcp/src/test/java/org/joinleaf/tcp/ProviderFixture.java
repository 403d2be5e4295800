package org.joinleaf.tcp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.TransportProvider;
import org.joinleaf.spi.WsaException;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.After;
import org.junit.Before;

/**
 * A provider used as a plain object, as the runtime would use it: sockets through {@code socket()}, joins through
 * {@code MultipointSocket.join}, accepts through {@code pendingRequest()}. Everything on 127.0.0.1.
 */
abstract class ProviderFixture {
    static final int C_ROOT_D_ROOT = Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT | Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;
    static final int C_ROOT_D_LEAF = Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT | Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
    static final int C_LEAF_D_LEAF = Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF | Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;

    final TcpProvider provider = new TcpProvider();
    final List<ProviderSocket> sockets = new ArrayList<>();

    /** Override to change limits. */
    TcpSettings.Builder settings() {
        return TcpSettings.builder();
    }

    @Before
    public void startProvider() {
        provider.start(settings().build());
    }

    @After
    public void stopProvider() {
        for (ProviderSocket s : sockets) {
            s.close();
        }
        provider.stop();
    }

    /** A joined leaf and the root's view of it. */
    static final class Member {
        final MultipointSocket leaf;
        final RecordingUpcalls leafUp;
        final ProviderSocket link;
        final RecordingUpcalls linkUp;

        Member(MultipointSocket leaf, RecordingUpcalls leafUp, ProviderSocket link, RecordingUpcalls linkUp) {
            this.leaf = leaf;
            this.leafUp = leafUp;
            this.link = link;
            this.linkUp = linkUp;
        }
    }

    WSAPROTOCOL_INFO entry(int family, boolean rootedData) {
        return entry(provider, family, rootedData);
    }

    /** An entry of {@code source}: the provider itself or its {@code qosEntries()}. */
    static WSAPROTOCOL_INFO entry(TransportProvider source, int family, boolean rootedData) {
        String name = rootedData ? TcpProvider.ROOTED : TcpProvider.RELAYED;
        if (source.protocols().get(0).has(Winsock2.XP1_QOS_SUPPORTED)) {
            name += TcpProvider.QOS_SUFFIX;
        }
        for (WSAPROTOCOL_INFO e : source.protocols()) {
            if (e.iAddressFamily == family && e.szProtocol.equals(name)) {
                return new WSAPROTOCOL_INFO(e);
            }
        }
        throw new AssertionError("no entry " + name + " for family " + family);
    }

    MultipointSocket socket(boolean rootedData, int flags, RecordingUpcalls upcalls) throws WsaException {
        return socket(provider, rootedData, flags, upcalls);
    }

    /** A socket on an IPv4 entry of {@code source}, closed after the test. */
    MultipointSocket socket(TransportProvider source, boolean rootedData, int flags, RecordingUpcalls upcalls)
            throws WsaException {
        ProviderSocket s = source.socket(entry(source, Winsock2.AF_INET, rootedData), flags, upcalls);
        sockets.add(s);
        return (MultipointSocket) s;
    }

    /** Keeps {@code s} to be closed after the test. */
    <T extends ProviderSocket> T closeLater(T s) {
        sockets.add(s);
        return s;
    }

    /** A c_root bound to 127.0.0.1 on an ephemeral port, listening. */
    MultipointSocket listeningRoot(boolean rootedData, RecordingUpcalls upcalls) throws WsaException {
        MultipointSocket root = socket(rootedData, rootedData ? C_ROOT_D_ROOT : C_ROOT_D_LEAF, upcalls);
        root.bind(SOCKADDR.of("127.0.0.1", 0));
        root.listen(Winsock2.SOMAXCONN);
        return root;
    }

    static ConnectRequest request(SOCKADDR name, byte[] callerData, int direction, RecordingUpcalls newSocket) {
        return new ConnectRequest(name, callerData, 1024, null, direction, newSocket);
    }

    /** Leaf-initiated join admitted by the root with {@code calleeData}. */
    Member join(MultipointSocket root, RecordingUpcalls rootUp, boolean rootedData, int direction, String name)
            throws Exception {
        return join(root, rootUp, rootedData, direction, name, null);
    }

    /** The same from {@code localHost} (bound first, R10): another loopback address is another source. */
    Member join(MultipointSocket root, RecordingUpcalls rootUp, boolean rootedData, int direction, String name,
                String localHost) throws Exception {
        RecordingUpcalls leafUp = new RecordingUpcalls(name);
        MultipointSocket leaf = socket(rootedData, C_LEAF_D_LEAF, leafUp);
        if (localHost != null) {
            leaf.bind(SOCKADDR.of(localHost, 0));
        }
        RecordingCompletion done = new RecordingCompletion();
        assertSame("c_leaf join returns the socket itself (R24)", leaf,
                leaf.join(request(root.localAddress(), bytes(name), direction, null), done));
        ConnectionRequest req = awaitRequest(root, rootUp);
        RecordingUpcalls linkUp = new RecordingUpcalls("link of " + name);
        ProviderSocket link = req.accept(null, linkUp);
        sockets.add(link);
        done.awaitConnected();
        return new Member(leaf, leafUp, link, linkUp);
    }

    static ConnectionRequest awaitRequest(ProviderSocket listener, RecordingUpcalls upcalls) throws Exception {
        assertEquals(0, upcalls.await(Winsock2.FD_ACCEPT_BIT));
        ConnectionRequest req = listener.pendingRequest();
        assertNotNull("FD_ACCEPT posted but no request queued", req);
        return req;
    }

    /** The same waiting up to {@code millis} (a join from a JVM still starting). */
    static ConnectionRequest awaitRequest(ProviderSocket listener, RecordingUpcalls upcalls, long millis)
            throws Exception {
        assertTrue("no join within " + millis + " ms", upcalls.await(Winsock2.FD_ACCEPT_BIT, millis));
        ConnectionRequest req = listener.pendingRequest();
        assertNotNull("FD_ACCEPT posted but no request queued", req);
        return req;
    }

    /** Receives the next message, waiting (bounded) for it to arrive. */
    static String receive(ProviderSocket s, RecordingUpcalls upcalls, SOCKADDR from) throws Exception {
        upcalls.until("a message", () -> s.available() > 0);
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        int n = s.receive(buffer, from, false);
        return new String(buffer.array(), 0, n, StandardCharsets.UTF_8);
    }

    static int send(ProviderSocket s, String text) throws WsaException {
        return s.send(ByteBuffer.wrap(bytes(text)), null);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
