package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.CF_ACCEPT;
import static org.joinleaf.api.Winsock2.FD_READ;
import static org.joinleaf.api.Winsock2.IPPROTO_TCP;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.joinleaf.api.Winsock2.MAKEWORD;
import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.SOCK_STREAM;
import static org.joinleaf.api.Winsock2.SOMAXCONN;
import static org.joinleaf.api.Winsock2.WSAEWOULDBLOCK;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;
import static org.joinleaf.api.Winsock2.WSA_WAIT_EVENT_0;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;

import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;
import org.joinleaf.tcp.session.SessionSettings;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Decisions 25 through the real runtime: the provider posts FD_READ only when a leaf's queue turns non-empty, and
 * the runtime reports FD_READ again after every receive that leaves a message queued (§4, level-triggered). A leaf
 * that takes ONE message per signal of its event object therefore gets every message, in order, without ever
 * waiting out a timeout; without the runtime's re-report (or with a provider that lost an arrival) the wait below
 * times out with messages still queued and the test fails.
 */
public class ReadReportTest {
    private static final int ROOT = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    private static final int LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;
    private static final int MESSAGES = 200;
    /** Generous: a signal that is due comes at once; only a lost one waits this long. */
    private static final int WAIT_MILLIS = 10_000;

    private final TcpProvider provider = new TcpProvider();
    private WinsockProcess ws;
    private ExecutorService background;

    @Before
    public void start() {
        provider.start(SessionSettings.defaults());
        ProviderCatalog catalog = new ProviderCatalog();
        catalog.add(provider, "tcp", 200, 1L);
        ws = new WinsockProcess(catalog);
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        background = Executors.newSingleThreadExecutor();
    }

    @After
    public void stop() throws InterruptedException {
        background.shutdownNow();
        ws.terminate();
        background.awaitTermination(5, TimeUnit.SECONDS);
        provider.stop();
    }

    @Test // decisions 25, §4 FD_READ re-enabled by recv and reported again while data is queued, R15 order
    public void oneMessagePerSignalGetsEveryMessageWithoutATimeout() throws Exception {
        SOCKET root = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, ROOT);
        SOCKADDR any = SOCKADDR.of("127.0.0.1", 0);
        assertEquals(0, ws.bind(root, any, any.size()));
        assertEquals(0, ws.listen(root, SOMAXCONN));
        SOCKADDR rootAddress = new SOCKADDR();
        assertEquals(0, ws.getsockname(root, rootAddress, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE}));
        SOCKET leaf = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
        Future<SOCKET> joined = background.submit(() -> ws.WSAJoinLeaf(leaf, rootAddress, rootAddress.size(), null,
                null, null, null, JL_RECEIVER_ONLY));
        SOCKET link = ws.WSAAccept(root, null, null, (a, b, c, d, e, f, g, h) -> CF_ACCEPT, 0);
        assertNotEquals("WSAAccept: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, link);
        assertEquals(leaf, joined.get(10, TimeUnit.SECONDS));

        WSAEVENT event = ws.WSACreateEvent();
        assertNotNull(event);
        assertEquals(0, ws.WSAEventSelect(leaf, event, FD_READ));
        byte[] message = new byte[16];
        for (int i = 0; i < MESSAGES; i++) { // sent in one go: most arrive while earlier ones are still queued
            ByteBuffer.wrap(message).putInt(0, i);
            assertEquals(message.length, ws.send(root, message, message.length, 0));
        }
        byte[] buffer = new byte[64];
        for (int i = 0; i < MESSAGES; ) {
            assertEquals("message " + i + " of " + MESSAGES + ": FD_READ was not reported again",
                    WSA_WAIT_EVENT_0, ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {event}, false, WAIT_MILLIS,
                            false));
            ws.WSAResetEvent(event);
            int n = ws.recv(leaf, buffer, buffer.length, 0);
            if (n == SOCKET_ERROR) { // a signal may precede its message only by the arrival it reports
                assertEquals(WSAEWOULDBLOCK, ws.WSAGetLastError());
                continue;
            }
            assertEquals(message.length, n);
            assertEquals("in order", i, ByteBuffer.wrap(buffer).getInt(0));
            i++;
        }
        assertEquals(SOCKET_ERROR, ws.recv(leaf, buffer, buffer.length, 0));
        assertEquals(WSAEWOULDBLOCK, ws.WSAGetLastError());
    }
}
