package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAError;
import org.joinleaf.runtime.defaultprovider.DefaultProvider;
import org.joinleaf.runtime.defaultprovider.StartedDefaultProvider;
import org.junit.After;
import org.junit.Before;

/**
 * A process over the real default provider, traffic on 127.0.0.1 only (issue 13's calls, default provider
 * included). Blocking calls run on {@link #background} and are awaited with a bound, never with sleeps.
 */
abstract class LoopbackRuntimeTest {
    static final int IN_LEN = SOCKADDR.SIZEOF_SOCKADDR_IN;
    ProviderCatalog catalog;
    DefaultProvider provider;
    WinsockProcess ws;
    ExecutorService background;

    @Before
    public void startRuntime() {
        provider = StartedDefaultProvider.start();
        catalog = new ProviderCatalog();
        catalog.add(provider, "default", 0, 1L);
        ws = new WinsockProcess(catalog);
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        background = Executors.newFixedThreadPool(2);
    }

    @After
    public void stopRuntime() throws InterruptedException {
        background.shutdownNow();
        ws.terminate();
        background.awaitTermination(ScriptedProvider.WAIT_SECONDS, TimeUnit.SECONDS);
        StartedDefaultProvider.stop(provider);
    }

    SOCKET udp() {
        SOCKET s = ws.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        assertNotEquals("socket failed: " + ws.WSAGetLastErrorMessage(), SOCKET.INVALID_SOCKET, s);
        return s;
    }

    SOCKET tcp() {
        SOCKET s = ws.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assertNotEquals("socket failed: " + ws.WSAGetLastErrorMessage(), SOCKET.INVALID_SOCKET, s);
        return s;
    }

    /** A UDP socket bound to 127.0.0.1 and an ephemeral port; its address in {@code bound}. */
    SOCKET boundUdp(SOCKADDR bound) {
        SOCKET s = udp();
        assertOk(ws.bind(s, SOCKADDR.of("127.0.0.1", 0), IN_LEN));
        assertOk(ws.getsockname(s, bound, new int[] {IN_LEN}));
        return s;
    }

    void assertFails(int code, int result) {
        assertEquals("expected SOCKET_ERROR", SOCKET_ERROR, result);
        assertLastError(code);
    }

    void assertLastError(int code) {
        assertEquals(WSAError.describe(code) + " expected, got " + WSAError.describe(ws.WSAGetLastError()) + ": "
                + ws.WSAGetLastErrorMessage(), code, ws.WSAGetLastError());
    }

    void assertOk(int result) {
        assertEquals("failed with " + WSAError.describe(ws.WSAGetLastError()) + ": " + ws.WSAGetLastErrorMessage(),
                0, result);
    }
}
