package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * R27 and §4 through the real runtime, many times over: a leaf joins (blocking), the root selects FD_CLOSE on its
 * c_leaf, the leaf closes, and the c_leaf must report exactly one graceful FD_CLOSE(0). It pins two races found under
 * load: a join whose whole exchange finished on the event loop before the joining thread returned had its
 * connection closed by that thread (both ends saw WSAECONNRESET), and a close recorded under the c_leaf's inherited
 * selection was lost when the application re-selected it.
 */
public class JoinLeaveCycleTest {
    private static final int CYCLES = 300;
    private static final LPCONDITIONPROC ACCEPT = (a, b, c, d, e, calleeData, g, h) -> {
        calleeData.len = 0;
        return CF_ACCEPT;
    };

    private final TcpProvider provider = new TcpProvider();
    private WinsockProcess rootSide;
    private WinsockProcess leafSide;

    @Before
    public void start() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.maxJoinRatePerSource = 1_000_000; // back-to-back joins from one address are the point here, not a flood
        provider.start(b.build());
        ProviderCatalog catalog = new ProviderCatalog();
        catalog.add(provider, "tcp", 200, 1L);
        rootSide = new WinsockProcess(catalog);
        leafSide = new WinsockProcess(catalog);
        assertEquals(0, rootSide.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        assertEquals(0, leafSide.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
    }

    @After
    public void stop() {
        rootSide.terminate();
        leafSide.terminate();
        provider.stop();
    }

    @Test
    public void everyLeafCloseReachesTheRootsCLeafAsOneGracefulFdClose_R27() throws Exception {
        for (int i = 0; i < CYCLES; i++) {
            SOCKET root = rootSide.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0,
                    WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT);
            assertEquals(0, rootSide.bind(root, SOCKADDR.of("127.0.0.1", 0), 16));
            SOCKADDR at = new SOCKADDR();
            assertEquals(0, rootSide.getsockname(root, at, new int[] {16}));
            assertEquals(0, rootSide.listen(root, 8));
            WSAEVENT listenerEvent = rootSide.WSACreateEvent();
            assertEquals(0, rootSide.WSAEventSelect(root, listenerEvent, FD_ACCEPT | FD_READ | FD_CLOSE));

            SOCKET leaf = leafSide.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0,
                    WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF);
            CompletableFuture<SOCKET> joined = CompletableFuture.supplyAsync(
                    () -> leafSide.WSAJoinLeaf(leaf, at, 16, null, null, null, null, JL_BOTH));
            assertEquals(WSA_WAIT_EVENT_0, rootSide.WSAWaitForMultipleEvents(1, new WSAEVENT[] {listenerEvent}, false,
                    10_000, false));
            SOCKET link = rootSide.WSAAccept(root, null, null, ACCEPT, 0); // inherits the listener's selection
            assertNotEquals("cycle " + i + ": " + rootSide.WSAGetLastError(), SOCKET.INVALID_SOCKET, link);
            assertEquals("cycle " + i, leaf, joined.get(10, TimeUnit.SECONDS));

            WSAEVENT linkEvent = rootSide.WSACreateEvent();
            assertEquals(0, rootSide.WSAEventSelect(link, linkEvent, FD_CLOSE));
            assertEquals(0, leafSide.closesocket(leaf));
            assertEquals("cycle " + i + ": FD_CLOSE signalled", WSA_WAIT_EVENT_0,
                    rootSide.WSAWaitForMultipleEvents(1, new WSAEVENT[] {linkEvent}, false, 10_000, false));
            WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
            assertEquals(0, rootSide.WSAEnumNetworkEvents(link, linkEvent, ne));
            assertEquals("cycle " + i + ": " + ne, FD_CLOSE, ne.lNetworkEvents & FD_CLOSE);
            assertEquals("cycle " + i + ": graceful", 0, ne.iErrorCode[FD_CLOSE_BIT]);

            assertEquals(0, rootSide.closesocket(link));
            assertEquals(0, rootSide.closesocket(root));
            rootSide.WSACloseEvent(listenerEvent);
            rootSide.WSACloseEvent(linkEvent);
        }
    }
}
