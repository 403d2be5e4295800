package org.joinleaf.bench.qos;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.CF_ACCEPT;
import static org.joinleaf.api.Winsock2.IPPROTO_TCP;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.MAKEWORD;
import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.SOCK_STREAM;
import static org.joinleaf.api.Winsock2.SOMAXCONN;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;
import static org.joinleaf.api.Winsock2.XP1_QOS_SUPPORTED;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.qos.admission.AdmissionControl;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;
import org.joinleaf.tcp.TcpProvider;
import org.joinleaf.tcp.session.TcpSettings;

/**
 * The runtime, {@link TcpProvider} and the QoS service ({@link AdmissionControl} with its defaults: 10 MiB/s
 * for scope "tcp") as plain objects, the provider's QoS-capable entries in the catalog as the DS component publishes
 * them. Hands out rooted roots on 127.0.0.1 and leaves joined to them, all on the QoS-capable rooted entry.
 */
final class QosRig implements AutoCloseable {
    private static final int ROOT = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    private static final int LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;
    private static final long JOIN_SECONDS = 10;

    private final TcpProvider provider = new TcpProvider();
    private final ProviderCatalog catalog = new ProviderCatalog();
    // At most one accept is ever queued: each submit is awaited before the next.
    private final ExecutorService acceptor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bench-qos-accept");
        t.setDaemon(true);
        return t;
    });
    private final WinsockProcess ws;
    private final WSAPROTOCOL_INFO entry;

    QosRig() throws IOException {
        provider.start(TcpSettings.defaults(), entries -> {
            catalog.add(entries, TcpProvider.QOS_PROVIDER_NAME, 201, 2L);
            return () -> catalog.remove(entries);
        });
        catalog.add(provider, "tcp", 200, 1L);
        provider.bindQos(AdmissionControl.configured(Map.of()));
        ws = new WinsockProcess(catalog);
        int rc = ws.WSAStartup(MAKEWORD(2, 2), new WSADATA());
        if (rc != 0) {
            throw new IOException("WSAStartup failed: " + WSAError.describe(rc));
        }
        entry = qosRootedEntry();
    }

    WinsockProcess winsock() {
        return ws;
    }

    private WSAPROTOCOL_INFO qosRootedEntry() throws IOException {
        WSAPROTOCOL_INFO[] buffer = new WSAPROTOCOL_INFO[32];
        int n = ws.WSAEnumProtocols(null, buffer, new int[] {32 * WSAPROTOCOL_INFO.SIZE});
        if (n == SOCKET_ERROR) {
            throw failure("WSAEnumProtocols");
        }
        for (int i = 0; i < n; i++) {
            WSAPROTOCOL_INFO e = buffer[i];
            if (e.iAddressFamily == AF_INET && e.has(XP1_QOS_SUPPORTED)
                    && e.szProtocol.equals(TcpProvider.ROOTED + TcpProvider.QOS_SUFFIX)) {
                return e;
            }
        }
        throw new IOException("no QoS-capable rooted IPv4 entry in the catalog");
    }

    /** A c_root/d_root listening on 127.0.0.1 (blocking, so it can accept joins); its address in {@code at}. */
    SOCKET listeningRoot(SOCKADDR at) throws IOException {
        SOCKET root = socket(ROOT);
        check(ws.bind(root, SOCKADDR.of("127.0.0.1", 0), 16), "bind");
        check(ws.getsockname(root, at, new int[] {16}), "getsockname");
        check(ws.listen(root, SOMAXCONN), "listen");
        return root;
    }

    /**
     * A blocking leaf joined to {@code root} with {@code qos} (null: unshaped), the root accepting it; its address
     * as the root sees it in {@code local}.
     */
    SOCKET joinedLeaf(SOCKET root, SOCKADDR at, QOS qos, SOCKADDR local) throws IOException, InterruptedException {
        SOCKET leaf = socket(LEAF);
        Future<SOCKET> accepted = acceptor.submit(
                () -> ws.WSAAccept(root, null, null, (a, b, c, d, e, calleeData, g, h) -> CF_ACCEPT, 0));
        if (SOCKET.INVALID_SOCKET.equals(ws.WSAJoinLeaf(leaf, at, 16, null, null, qos, null, JL_BOTH))) {
            IOException failed = failure("WSAJoinLeaf" + (qos == null ? "" : " with TokenRate "
                    + qos.SendingFlowspec.TokenRate));
            ws.closesocket(root); // ends the pending WSAAccept
            throw failed;
        }
        try {
            if (SOCKET.INVALID_SOCKET.equals(accepted.get(JOIN_SECONDS, TimeUnit.SECONDS))) {
                throw failure("WSAAccept");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the root did not accept the join: " + e, e);
        }
        check(ws.getsockname(leaf, local, new int[] {16}), "getsockname");
        return leaf;
    }

    private SOCKET socket(int flags) throws IOException {
        SOCKET s = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, entry, 0, flags);
        if (SOCKET.INVALID_SOCKET.equals(s)) {
            throw failure("WSASocket");
        }
        return s;
    }

    void check(int rc, String call) throws IOException {
        if (rc == SOCKET_ERROR) {
            throw failure(call);
        }
    }

    IOException failure(String call) {
        return new IOException(call + " failed: " + WSAError.describe(ws.WSAGetLastError()) + ": "
                + ws.WSAGetLastErrorMessage());
    }

    @Override
    public void close() throws InterruptedException {
        acceptor.shutdownNow();
        ws.WSACleanup(); // closes every socket, returning every reservation
        ws.terminate();
        acceptor.awaitTermination(2, TimeUnit.SECONDS);
        catalog.remove(provider);
        provider.stop(); // stops the event loops (bounded wait)
    }
}
