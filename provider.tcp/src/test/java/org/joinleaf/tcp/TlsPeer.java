package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.IPPROTO_TCP;
import static org.joinleaf.api.Winsock2.MAKEWORD;
import static org.joinleaf.api.Winsock2.SOCK_STREAM;
import static org.joinleaf.api.Winsock2.SOMAXCONN;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.nio.file.Path;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.tls.TlsMode;
import org.joinleaf.tcp.tls.TlsSettings;

/**
 * One host of a TLS test: its own TCP provider with its own TLS settings, and the real runtime over it (plain
 * objects). Two of them talk over loopback.
 */
final class TlsPeer implements AutoCloseable {
    static final int ROOT = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    static final int LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

    final TcpProvider provider = new TcpProvider();
    final WinsockProcess ws;

    /** @param keyStore this host's identity; {@code trustStore} the peers it trusts; both ignored when OFF */
    TlsPeer(TlsMode mode, Path keyStore, Path trustStore) {
        this(settings(TlsSettings.of(mode, str(keyStore), TestPki.PASSWORD, str(trustStore), TestPki.PASSWORD)));
    }

    TlsPeer(TcpSettings settings) {
        provider.start(settings);
        ProviderCatalog catalog = new ProviderCatalog();
        catalog.add(provider, "tcp", 200, 1L);
        ws = new WinsockProcess(catalog);
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
    }

    static TcpSettings settings(TlsSettings tls) {
        TcpSettings.Builder b = TcpSettings.builder();
        b.tls = tls;
        b.joinTimeoutMillis = 5000;
        return b.build();
    }

    private static String str(Path p) {
        return p == null ? "" : p.toString();
    }

    SOCKET socket(int flags) {
        SOCKET s = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, flags);
        assertNotEquals("WSASocket: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, s);
        return s;
    }

    /** A socket bound to 127.0.0.1 and listening. */
    SOCKET listening(int flags) {
        SOCKET s = socket(flags);
        SOCKADDR any = SOCKADDR.of("127.0.0.1", 0);
        assertEquals(0, ws.bind(s, any, any.size()));
        assertEquals(0, ws.listen(s, SOMAXCONN));
        return s;
    }

    SOCKADDR localAddress(SOCKET s) {
        SOCKADDR name = new SOCKADDR();
        assertEquals(0, ws.getsockname(s, name, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE}));
        return name;
    }

    @Override
    public void close() {
        ws.terminate();
        provider.stop();
    }
}
