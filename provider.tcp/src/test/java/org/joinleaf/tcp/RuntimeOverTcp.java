package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.IPPROTO_TCP;
import static org.joinleaf.api.Winsock2.MAKEWORD;
import static org.joinleaf.api.Winsock2.SOCK_STREAM;
import static org.joinleaf.api.Winsock2.SOMAXCONN;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.After;
import org.junit.Before;

/**
 * The real runtime over this provider with its defaults, both as plain objects: what an application sees. Two
 * background threads for the blocking calls a test makes beside its own.
 */
abstract class RuntimeOverTcp {
    final TcpProvider provider = new TcpProvider();
    final ProviderCatalog catalog = new ProviderCatalog();
    WinsockProcess ws;
    ExecutorService background;

    /** The provider's settings: its defaults unless a test needs its own. */
    TcpSettings settings() {
        return TcpSettings.defaults();
    }

    @Before
    public void startRuntime() {
        provider.start(settings());
        catalog.add(provider, "tcp", 200, 1L);
        ws = new WinsockProcess(catalog);
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        background = Executors.newFixedThreadPool(2);
    }

    /** A blocking c_root/d_root socket listening on 127.0.0.1. */
    SOCKET listeningRoot() {
        SOCKET root = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0,
                WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT);
        assertNotEquals("WSASocket: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, root);
        SOCKADDR any = SOCKADDR.of("127.0.0.1", 0);
        assertEquals(0, ws.bind(root, any, any.size()));
        assertEquals(0, ws.listen(root, SOMAXCONN));
        return root;
    }

    SOCKADDR localAddress(SOCKET s) {
        SOCKADDR name = new SOCKADDR();
        assertEquals(0, ws.getsockname(s, name, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE}));
        return name;
    }

    @After
    public void stopRuntime() throws InterruptedException {
        background.shutdownNow();
        ws.terminate();
        background.awaitTermination(5, TimeUnit.SECONDS);
        provider.stop();
    }
}
