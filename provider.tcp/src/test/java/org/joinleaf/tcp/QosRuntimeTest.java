package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.CF_ACCEPT;
import static org.joinleaf.api.Winsock2.FD_QOS;
import static org.joinleaf.api.Winsock2.FD_QOS_BIT;
import static org.joinleaf.api.Winsock2.IPPROTO_TCP;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.MAKEWORD;
import static org.joinleaf.api.Winsock2.SIO_GET_QOS;
import static org.joinleaf.api.Winsock2.SIO_SET_QOS;
import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.SOCK_STREAM;
import static org.joinleaf.api.Winsock2.SOMAXCONN;
import static org.joinleaf.api.Winsock2.WSAENETDOWN;
import static org.joinleaf.api.Winsock2.WSAENOPROTOOPT;
import static org.joinleaf.api.Winsock2.WSAEOPNOTSUPP;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;
import static org.joinleaf.api.Winsock2.XP1_QOS_SUPPORTED;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.qos.QosService;
import org.joinleaf.qos.admission.AdmissionControl;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * QoS as an application sees it: the real runtime and the real QoS service over this provider (all plain objects),
 * with the provider publishing its QoS-capable entries into the catalog while the QoS service is bound, as the DS
 * component does with a second service registration. Conformance group K, issue 5 items 3–5.
 */
public class QosRuntimeTest {
    private static final int ROOT = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    private static final int LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

    private final TcpProvider provider = new TcpProvider();
    private final QosService qos = AdmissionControl.configured(Map.of());
    private final ProviderCatalog catalog = new ProviderCatalog();
    private WinsockProcess ws;
    private ExecutorService background;

    @Before
    public void start() {
        provider.start(TcpSettings.defaults(), entries -> {
            catalog.add(entries, TcpProvider.QOS_PROVIDER_NAME, 201, 2L);
            return () -> catalog.remove(entries);
        });
        catalog.add(provider, "tcp", 200, 1L);
        provider.bindQos(qos);
        ws = new WinsockProcess(catalog);
        assertEquals(0, ws.WSAStartup(MAKEWORD(2, 2), new WSADATA()));
        background = Executors.newFixedThreadPool(2);
    }

    @After
    public void stop() throws InterruptedException {
        background.shutdownNow();
        ws.terminate();
        background.awaitTermination(5, TimeUnit.SECONDS);
        provider.stop();
    }

    private List<WSAPROTOCOL_INFO> catalogEntries() {
        WSAPROTOCOL_INFO[] buffer = new WSAPROTOCOL_INFO[16];
        int n = ws.WSAEnumProtocols(null, buffer, new int[] {16 * WSAPROTOCOL_INFO.SIZE});
        assertNotEquals("WSAEnumProtocols: " + ws.WSAGetLastError(), SOCKET_ERROR, n);
        return Arrays.asList(buffer).subList(0, n);
    }

    private WSAPROTOCOL_INFO entry(boolean withQos) {
        for (WSAPROTOCOL_INFO e : catalogEntries()) {
            if (e.iAddressFamily == AF_INET && e.has(XP1_QOS_SUPPORTED) == withQos
                    && e.szProtocol.startsWith(TcpProvider.ROOTED)) {
                return e;
            }
        }
        throw new AssertionError("no rooted IPv4 entry " + (withQos ? "with" : "without") + " XP1_QOS_SUPPORTED");
    }

    private SOCKET socket(WSAPROTOCOL_INFO on, int flags) {
        SOCKET s = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, on, 0, flags);
        assertNotEquals("WSASocket: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, s);
        return s;
    }

    private SOCKET listeningRoot(WSAPROTOCOL_INFO on) {
        SOCKET root = socket(on, ROOT);
        SOCKADDR any = SOCKADDR.of("127.0.0.1", 0);
        assertEquals(0, ws.bind(root, any, any.size()));
        assertEquals(0, ws.listen(root, SOMAXCONN));
        return root;
    }

    /** A blocking WSAJoinLeaf of {@code leaf} with {@code q}, admitted by the root; returns its error (0: joined). */
    private int join(SOCKET root, SOCKET leaf, QOS q) throws Exception {
        SOCKADDR rootAddress = new SOCKADDR();
        assertEquals(0, ws.getsockname(root, rootAddress, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE}));
        Future<Integer> joined = background.submit(() -> ws.WSAJoinLeaf(leaf, rootAddress, rootAddress.size(), null,
                null, q, null, JL_BOTH) == SOCKET.INVALID_SOCKET ? ws.WSAGetLastError() : 0);
        SOCKET link = ws.WSAAccept(root, null, null, (a, b, c, d, e, f, g, h) -> CF_ACCEPT, 0);
        assertNotEquals("WSAAccept: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, link);
        return joined.get(10, TimeUnit.SECONDS);
    }

    private int ioctlError(SOCKET s, int code, QOS in, QOS out) {
        int rc = ws.WSAIoctl(s, code, in, in == null ? 0 : QOS.SIZE, out, out == null ? 0 : QOS.SIZE, new int[1]);
        return rc == 0 ? 0 : ws.WSAGetLastError();
    }

    @Test // item 4: while QoS runs the catalog holds QoS entries, preferred for new sockets; the plain ones stay
    public void qosEntriesAreAdvertisedWhileTheServiceIsBound() {
        long withQos = catalogEntries().stream().filter(e -> e.has(XP1_QOS_SUPPORTED)).count();
        assertEquals(4, withQos);
        assertEquals(8, catalogEntries().size());
        SOCKET s = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
        assertEquals("a default socket gets QoS", 0, ioctlError(s, SIO_GET_QOS, null, new QOS()));
    }

    @Test // K.51, R33 through the API: SIO_SET_QOS(Q1) before the join, lpSQOS = Q2 -> SIO_GET_QOS gives Q2
    public void setQosBeforeJoinIsReplacedByTheJoinsQos() throws Exception {
        SOCKET root = listeningRoot(entry(true));
        SOCKET leaf = socket(entry(true), LEAF);
        QOS q1 = QosFixture.controlledLoad(30_000, 4000);
        QOS q2 = QosFixture.controlledLoad(20_000, 2000);
        assertEquals(0, ioctlError(leaf, SIO_SET_QOS, q1, null));
        assertEquals(0, join(root, leaf, q2));
        QOS inEffect = new QOS();
        assertEquals(0, ioctlError(leaf, SIO_GET_QOS, null, inEffect));
        assertEquals(q2, inEffect);
    }

    @Test // K.52: a socket on an entry without QoS -> SIO_GET_QOS / SIO_SET_QOS fail with WSAENOPROTOOPT (10042)
    public void socketWithoutQosAnswersWsaenoprotoopt() {
        SOCKET plain = socket(entry(false), LEAF);
        assertEquals(WSAENOPROTOOPT, ioctlError(plain, SIO_GET_QOS, null, new QOS()));
        assertEquals(WSAENOPROTOOPT, ioctlError(plain, SIO_SET_QOS, QosFixture.controlledLoad(1000, 1000), null));
    }

    @Test // §5: FD_QOS is recorded per change, re-armed by SIO_GET_QOS and by reading it (decisions 19)
    public void fdQosIsRecordedOncePerChangeUntilSioGetQos() {
        SOCKET leaf = socket(entry(true), LEAF);
        WSAEVENT event = ws.WSACreateEvent();
        assertEquals(0, ws.WSAEventSelect(leaf, event, FD_QOS));
        WSANETWORKEVENTS seen = new WSANETWORKEVENTS();

        assertEquals(0, ioctlError(leaf, SIO_SET_QOS, QosFixture.controlledLoad(1000, 1000), null));
        assertEquals(0, ws.WSAEnumNetworkEvents(leaf, event, seen));
        assertEquals(FD_QOS, seen.lNetworkEvents & FD_QOS);
        assertEquals(0, seen.iErrorCode[FD_QOS_BIT]);

        assertEquals(0, ioctlError(leaf, SIO_SET_QOS, QosFixture.controlledLoad(2000, 1000), null));
        assertEquals(0, ws.WSAEnumNetworkEvents(leaf, event, seen));
        assertEquals("once read, a further change is reported again (decisions 19)", FD_QOS,
                seen.lNetworkEvents & FD_QOS);

        assertEquals(0, ioctlError(leaf, SIO_GET_QOS, null, new QOS()));
        assertEquals(0, ioctlError(leaf, SIO_SET_QOS, QosFixture.controlledLoad(3000, 1000), null));
        assertEquals(0, ws.WSAEnumNetworkEvents(leaf, event, seen));
        assertEquals(FD_QOS, seen.lNetworkEvents & FD_QOS);
    }

    @Test // item 3: a blocking send loop is held to TokenRate: 3 buckets at rate R need at least 2 buckets / R
    public void blockingSendsAreHeldToTheTokenRate() throws Exception {
        int rate = 64 * 1024;
        int bucket = 16 * 1024;
        SOCKET root = listeningRoot(entry(true));
        SOCKET leaf = socket(entry(true), LEAF);
        assertEquals(0, join(root, leaf, QosFixture.controlledLoad(rate, bucket)));
        byte[] message = new byte[1024];
        int messages = 3 * bucket / message.length;

        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            assertEquals("send: " + ws.WSAGetLastError(), message.length, ws.send(leaf, message, message.length, 0));
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        long floorMillis = 2L * bucket * 1000 / rate; // what the bucket cannot cover: 500 ms
        assertTrue("3 buckets at TokenRate went out in " + elapsedMillis + " ms; shaping allows no less than about "
                + floorMillis + " ms", elapsedMillis >= floorMillis - 100);
        byte[] buf = new byte[2048];
        for (int i = 0; i < messages; i++) {
            assertEquals(message.length, ws.recv(root, buf, buf.length, 0));
        }
    }

    @Test // greedy swap (DS binds the better service, then unbinds the old): the QoS entries stay, published once
    public void greedySwapKeepsTheQosEntries() {
        SOCKET before = socket(entry(true), LEAF);
        provider.bindQos(AdmissionControl.configured(Map.of()));
        provider.unbindQos(qos);
        assertEquals(8, catalogEntries().size());
        assertEquals("sockets on the QoS entries live on", 0, ioctlError(before, SIO_GET_QOS, null, new QOS()));
    }

    @Test // item 5: QoS service removed at runtime -> no XP1_QOS_SUPPORTED, QoS joins fail, TCP keeps working
    public void tcpKeepsWorkingWithoutQos() throws Exception {
        SOCKET root = listeningRoot(entry(false)); // a plain socket made while QoS ran
        SOCKET qosLeaf = socket(entry(true), LEAF);

        provider.unbindQos(qos); // what DS does when provider.qos stops

        assertTrue("no entry advertises QoS", catalogEntries().stream().noneMatch(e -> e.has(XP1_QOS_SUPPORTED)));
        assertEquals(4, catalogEntries().size());
        assertEquals("sockets on the withdrawn QoS entries are gone (decisions 12)", SOCKET_ERROR,
                ws.send(qosLeaf, new byte[1], 1, 0));
        assertEquals(WSAENETDOWN, ws.WSAGetLastError());

        SOCKET leaf = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
        SOCKADDR rootAddress = new SOCKADDR();
        assertEquals(0, ws.getsockname(root, rootAddress, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE}));
        assertEquals(SOCKET.INVALID_SOCKET, ws.WSAJoinLeaf(leaf, rootAddress, rootAddress.size(), null, null,
                QosFixture.controlledLoad(1000, 1000), null, JL_BOTH));
        assertEquals(WSAEOPNOTSUPP, ws.WSAGetLastError());
        assertEquals(WSAENOPROTOOPT, ioctlError(leaf, SIO_GET_QOS, null, new QOS()));

        assertEquals(0, join(root, leaf, null));
        byte[] hello = "still here".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(hello.length, ws.send(root, hello, hello.length, 0));
        byte[] buf = new byte[64];
        assertEquals(hello.length, ws.recv(leaf, buf, buf.length, 0));

        List<WSAPROTOCOL_INFO> before = new ArrayList<>(catalogEntries());
        provider.bindQos(qos); // and back
        assertEquals(before.size() + 4, catalogEntries().size());
    }
}
