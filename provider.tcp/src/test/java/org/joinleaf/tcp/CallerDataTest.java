package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.CF_ACCEPT;
import static org.joinleaf.api.Winsock2.CF_DEFER;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.WSAEFAULT;
import static org.joinleaf.api.Winsock2.WSATRY_AGAIN;
import static org.joinleaf.tcp.TlsPeer.LEAF;
import static org.joinleaf.tcp.TlsPeer.ROOT;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.tls.TlsSettings;
import org.junit.After;
import org.junit.Test;

/**
 * Threat "hostile caller data" (reliability.md): opaque bytes with a length cap, copied before the condition
 * function sees them, delivered byte-exact. (No log line of the provider or the runtime shows caller data; the
 * admission policy's refusal line escapes what it shows, see AdmissionPolicyTest.)
 */
public class CallerDataTest {
    private final ExecutorService background = Executors.newCachedThreadPool();
    private final TlsPeer host = new TlsPeer(TlsPeer.settings(TlsSettings.OFF));

    @After
    public void stop() throws InterruptedException {
        background.shutdownNow();
        host.close();
        background.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Every byte value, control characters and a fake log line included, up to the cap. */
    private static byte[] hostile(int length) {
        byte[] b = new byte[length];
        byte[] forged = "\nINFO joinleaf: admitted\r\u001b[2J\0".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < length; i++) {
            b[i] = i < forged.length ? forged[i] : (byte) i;
        }
        return b;
    }

    @Test // R4 cap, byte-exact delivery, a fresh copy for every condition call (CF_DEFER then CF_ACCEPT)
    public void callerDataArrivesByteExactAndEachConditionCallGetsItsOwnCopy() throws Exception {
        int cap = TcpSettings.defaults().maxConnectData();
        byte[] sent = hostile(cap);
        SOCKET root = host.listening(ROOT);
        SOCKADDR rootAddress = host.localAddress(root);
        SOCKET leaf = host.socket(LEAF);
        Future<SOCKET> joined = background.submit(() -> host.ws.WSAJoinLeaf(leaf, rootAddress, rootAddress.size(),
                WSABUF.of(sent.clone()), null, null, null, JL_BOTH));

        List<byte[]> seen = new ArrayList<>();
        SOCKET deferred = host.ws.WSAAccept(root, null, null, (a, callerData, c, d, e, f, g, h) -> {
            seen.add(callerData.toBytes());
            java.util.Arrays.fill(callerData.buf, (byte) 'X'); // user code scribbles on its buffer
            return CF_DEFER;
        }, 0);
        assertEquals(SOCKET.INVALID_SOCKET, deferred);
        assertEquals(WSATRY_AGAIN, host.ws.WSAGetLastError());
        SOCKET link = host.ws.WSAAccept(root, null, null, (a, callerData, c, d, e, f, g, h) -> {
            seen.add(callerData.toBytes());
            return CF_ACCEPT;
        }, 0);
        assertNotEquals("WSAAccept: " + host.ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, link);
        assertEquals(leaf, joined.get(20, TimeUnit.SECONDS));
        assertEquals(2, seen.size());
        assertArrayEquals("first call: byte-exact", sent, seen.get(0));
        assertArrayEquals("second call: untouched by the first call's scribbling", sent, seen.get(1));
    }

    @Test // R4: one byte over maxConnectData fails at once with WSAEFAULT; nothing reaches the root
    public void callerDataOverTheCapIsRefusedBeforeAnythingIsSent() {
        int cap = TcpSettings.defaults().maxConnectData();
        SOCKET root = host.listening(ROOT);
        SOCKADDR rootAddress = host.localAddress(root);
        SOCKET leaf = host.socket(LEAF);
        assertEquals(SOCKET.INVALID_SOCKET, host.ws.WSAJoinLeaf(leaf, rootAddress, rootAddress.size(),
                WSABUF.of(hostile(cap + 1)), null, null, null, JL_BOTH));
        assertEquals(WSAEFAULT, host.ws.WSAGetLastError());
        int[] nonBlocking = {1};
        assertEquals(0, host.ws.ioctlsocket(root, org.joinleaf.api.Winsock2.FIONBIO, nonBlocking));
        assertEquals(SOCKET.INVALID_SOCKET, host.ws.WSAAccept(root, null, null, null, 0));
        assertEquals(org.joinleaf.api.Winsock2.WSAEWOULDBLOCK, host.ws.WSAGetLastError());
    }
}
