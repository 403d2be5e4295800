package org.joinleaf.bench.tcp;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.IPPROTO_TCP;
import static org.joinleaf.api.Winsock2.MAKEWORD;
import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.SOCK_STREAM;
import static org.joinleaf.api.Winsock2.SOMAXCONN;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAError;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;
import org.joinleaf.tcp.TcpProvider;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.session.SlowLeafPolicy;
import org.joinleaf.tcp.session.TransportChoice;

/**
 * The runtime and the TCP provider as plain objects (no OSGi), one per measurement: what an application process
 * sees through {@link WinsockProcess}. Closing it closes every socket, then stops the provider's event loops.
 */
final class TcpStack implements AutoCloseable {
    static final int ROOT = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    static final int LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

    /**
     * Per-socket receive queue of the fan-out leaves (property {@code bench.tcp.receiveQueueMessages}): the
     * provider's default of 1024 messages times 1000 leaves of 1 KiB would not fit the 512 MiB heap of run.sh.
     */
    static final int RECEIVE_QUEUE_MESSAGES = Integer.getInteger("bench.tcp.receiveQueueMessages", 128);

    private final TcpProvider provider = new TcpProvider();
    private final ProviderCatalog catalog = new ProviderCatalog();
    final WinsockProcess ws;

    /** Whether the transport in use was reported (once per JVM, on stderr). */
    private static final AtomicBoolean TRANSPORT_SHOWN = new AtomicBoolean();

    private TcpStack(TcpSettings settings) throws IOException {
        provider.start(settings);
        if (!TRANSPORT_SHOWN.getAndSet(true)) {
            System.err.println("tcp: provider transport " + provider.transport().ioTransport() + " (transport="
                    + settings.transport() + ")");
        }
        catalog.add(provider, "tcp", 200, 1L);
        ws = new WinsockProcess(catalog);
        int rc = ws.WSAStartup(MAKEWORD(2, 2), new WSADATA());
        if (rc != 0) {
            close();
            throw new IOException("WSAStartup failed: " + WSAError.describe(rc));
        }
    }

    /**
     * The provider's defaults on the transport {@code -Dbench.tcp.transport} names (AUTO, NIO or EPOLL, in BENCH_OPTS;
     * without it, the setting's default): every benchmark's settings start here.
     */
    static TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        String transport = System.getProperty("bench.tcp.transport");
        if (transport != null) {
            b.transport = TransportChoice.valueOf(transport.trim().toUpperCase(java.util.Locale.ROOT));
        }
        return b;
    }

    /** A stack with {@code settings} as they are. */
    static TcpStack of(TcpSettings settings) throws IOException {
        return new TcpStack(settings);
    }

    /** The provider's defaults (EVICT slow leaves), opened up for many leaves from one address (joins, idle leaves). */
    static TcpStack forJoins() throws IOException {
        return new TcpStack(fromOneAddress(settings()).build());
    }

    /**
     * Every benchmark leaf connects from 127.0.0.1 as fast as it can: a measurement, not a flood, so the per-source
     * join rate must not be what is measured. The leaf cap stays derived from the heap (32768 under -Xmx512m, above
     * every leaf count the bench uses; a larger explicit cap would not fit the heap and fail to start).
     */
    static TcpSettings.Builder fromOneAddress(TcpSettings.Builder b) {
        b.maxJoinRatePerSource = 1_000_000;
        return b;
    }

    /**
     * For fan-out: BLOCK_SENDER, so a leaf that falls behind makes the root's blocking send wait for FD_WRITE instead
     * of being evicted (EVICT would drop it at twice the high water mark), and a slow-leaf timeout long enough that
     * no leaf of a loaded 2-core machine is evicted during a trial. Water marks stay at the defaults (32/64 KiB).
     */
    static TcpStack forFanout() throws IOException {
        TcpSettings.Builder b = fromOneAddress(settings());
        b.receiveQueueMessages = RECEIVE_QUEUE_MESSAGES;
        b.slowLeafPolicy = SlowLeafPolicy.BLOCK_SENDER;
        b.slowLeafTimeoutMillis = 120_000;
        return new TcpStack(b.build());
    }

    /** A blocking c_root/d_root socket listening on 127.0.0.1, ephemeral port. */
    SOCKET listeningRoot() throws IOException {
        SOCKET root = socket(ROOT);
        SOCKADDR any = SOCKADDR.of("127.0.0.1", 0);
        check(ws.bind(root, any, any.size()), "bind");
        check(ws.listen(root, SOMAXCONN), "listen");
        return root;
    }

    /** A new blocking c_leaf/d_leaf socket bound to {@code host} (port 0): it joins from that source (R10). */
    SOCKET leafSocketFrom(String host) throws IOException {
        SOCKET leaf = socket(LEAF);
        SOCKADDR local = SOCKADDR.of(host, 0);
        check(ws.bind(leaf, local, local.size()), "bind(" + host + ")");
        return leaf;
    }

    /** A new blocking c_leaf/d_leaf socket. */
    SOCKET leafSocket() throws IOException {
        return socket(LEAF);
    }

    private SOCKET socket(int flags) throws IOException {
        SOCKET s = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, flags);
        if (SOCKET.INVALID_SOCKET.equals(s)) {
            throw failure("WSASocket");
        }
        return s;
    }

    SOCKADDR localAddress(SOCKET s) throws IOException {
        SOCKADDR name = new SOCKADDR();
        check(ws.getsockname(s, name, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE}), "getsockname");
        return name;
    }

    void check(int rc, String call) throws IOException {
        if (rc == SOCKET_ERROR) {
            throw failure(call);
        }
    }

    /** The calling thread's last Winsock error as an exception naming {@code call}. */
    IOException failure(String call) {
        return new IOException(call + " failed: " + WSAError.describe(ws.WSAGetLastError()) + ": "
                + ws.WSAGetLastErrorMessage());
    }

    /** The provider under the runtime (its limit counters). */
    TcpProvider provider() {
        return provider;
    }

    /** Sockets the process still holds (diagnostics). */
    int sockets() {
        return ws.socketCount();
    }

    @Override
    public void close() {
        ws.terminate(); // closes every socket, which wakes any thread blocked in a call on one
        catalog.remove(provider);
        provider.stop(); // event loops end within 3 s
    }
}
