package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.FD_ACCEPT_BIT;
import static org.joinleaf.api.Winsock2.FD_CLOSE_BIT;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.WSAEADDRNOTAVAIL;
import static org.joinleaf.api.Winsock2.WSAEAFNOSUPPORT;
import static org.joinleaf.api.Winsock2.WSAECONNABORTED;
import static org.joinleaf.api.Winsock2.WSAECONNREFUSED;
import static org.joinleaf.api.Winsock2.WSAECONNRESET;
import static org.joinleaf.api.Winsock2.WSAEFAULT;
import static org.joinleaf.api.Winsock2.WSAEINVAL;
import static org.joinleaf.api.Winsock2.WSAEISCONN;
import static org.joinleaf.api.Winsock2.WSAEMSGSIZE;
import static org.joinleaf.api.Winsock2.WSAENOTSOCK;
import static org.joinleaf.api.Winsock2.WSAETIMEDOUT;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.joinleaf.tcp.Wire.MAGIC;
import static org.joinleaf.tcp.Wire.concat;
import static org.joinleaf.tcp.Wire.frame;
import static org.joinleaf.tcp.Wire.int32;
import static org.joinleaf.tcp.Wire.joinBody;
import static org.joinleaf.tcp.Wire.lengthOnly;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.Winsock2;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.joinleaf.tcp.session.TcpSettings;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/**
 * The bad-input catalogue (reliability.md scorecard 4; issue 7 item 3): one row per hostile byte sequence or bad
 * API argument, each with the Winsock code (or the absence of any member) it must produce, and after every row a
 * well-behaved leaf must still join the same root. Wire rows go to a listening root before and after JOIN, to an
 * admitted member, to a listening c_leaf, and back to a joining c_leaf; API rows go through the real runtime.
 *
 * <p>"no member" means: the raw peer sees its connection closed, and the root's {@code WSAAccept} never sees a
 * request (no {@code FD_ACCEPT}, {@code pendingRequest()} empty). "withdrawn" means the JOIN had queued a request
 * and the violation removed it again: accepting it fails with {@code WSAECONNRESET}.
 */
@RunWith(Parameterized.class)
public class BadInputCatalogueTest extends ProviderFixture {
    static final int MAX_MESSAGE = 100;
    static final int MAX_CONNECT_DATA = 200;
    static final int JOIN_TIMEOUT = 500;
    static final int HEARTBEAT_TIMEOUT = 1500;
    /** Largest frame a root with these limits accepts (prefix included), see PROTOCOL.md §2. */
    static final int MAX_FRAME = 5 + Math.max(MAX_MESSAGE, 9 + MAX_CONNECT_DATA + 64);

    /** The good leaf's join time after each row of this run, by row name: bounded by the number of rows. */
    private static final Map<String, Long> GOOD_JOIN_NANOS = new ConcurrentHashMap<>();

    @Parameter(0)
    public String name;
    @Parameter(1)
    public Row row;

    private RecordingUpcalls rootUp;
    private MultipointSocket root;
    private WinsockProcess ws;
    private ExecutorService background;

    /** One catalogue row: does the bad thing and asserts what the contract says must follow. */
    interface Row {
        void run(BadInputCatalogueTest t) throws Exception;
    }

    @Override
    TcpSettings.Builder settings() {
        TcpSettings.Builder b = TcpSettings.builder();
        b.joinTimeoutMillis = JOIN_TIMEOUT;
        b.maxMessageSize = MAX_MESSAGE;
        b.maxConnectData = MAX_CONNECT_DATA;
        b.heartbeatIntervalMillis = 300;
        b.heartbeatTimeoutMillis = HEARTBEAT_TIMEOUT;
        return b;
    }

    @Before
    public void listen() throws Exception {
        rootUp = new RecordingUpcalls("root");
        root = listeningRoot(true, rootUp);
    }

    @After
    public void stopRuntime() throws InterruptedException {
        if (ws != null) {
            background.shutdownNow();
            ws.terminate();
            background.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @BeforeClass
    public static void forgetJoinTimes() {
        GOOD_JOIN_NANOS.clear();
    }

    @AfterClass
    public static void reportJoinTimes() {
        System.out.printf("bad-input catalogue: slowest good join after a bad row: %.1f ms%n",
                GOOD_JOIN_NANOS.values().stream().mapToLong(Long::longValue).max().orElse(0) / 1e6);
    }

    /**
     * How long the good leaf's join took after each row of the last run (nanoseconds by row name; rows that failed
     * before their good join are missing): the bench's {@code badinput} mode times scorecard 4 with these rows.
     */
    public static Map<String, Long> goodJoinNanosByRow() {
        return Map.copyOf(GOOD_JOIN_NANOS);
    }

    @Test // reliability.md scorecard 4: the row's code, then a good leaf still joins
    public void rowThenAGoodLeafStillJoins() throws Exception {
        row.run(this);
        long start = System.nanoTime();
        Member good = join(root, rootUp, true, JL_BOTH, "good");
        GOOD_JOIN_NANOS.put(name, System.nanoTime() - start);
        send(root, "still serving");
        assertEquals("still serving", receive(good.leaf, good.leafUp, null));
        assertEquals("the bad row left no request behind", 0, rootUp.count(FD_ACCEPT_BIT));
        assertNull(root.pendingRequest());
    }

    @Parameters(name = "{index}: {0}")
    public static List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        byte[] good = joinBody(new byte[0]);
        byte[] okJoin = frame(1, good);

        // --- to a listening root, before JOIN: closed, no member (the root records WSAECONNABORTED) ---
        noMember(rows, "unknown type 0x00", frame(0x00, new byte[0]));
        noMember(rows, "unknown type 0x09", frame(0x09, new byte[0]));
        noMember(rows, "unknown type 0xFF with a body", frame(0xFF, new byte[] {1, 2, 3}));
        noMember(rows, "empty frame (length 0, no type)", lengthOnly(0));
        noMember(rows, "length over maxFrameLength (fail-fast)", concat(lengthOnly(MAX_FRAME), new byte[] {5}));
        noMember(rows, "length 0x7FFFFFFF", concat(lengthOnly(0x7FFFFFFF), new byte[] {5}));
        noMember(rows, "negative length 0xFFFFFFFF", concat(lengthOnly(-1), new byte[] {5}));
        noMember(rows, "negative length 0x80000000", concat(lengthOnly(0x80000000), new byte[] {5}));
        noMember(rows, "DATA before JOIN", frame(5, new byte[] {1, 2}));
        noMember(rows, "ACCEPT before JOIN", frame(3, new byte[] {0, 0}));
        noMember(rows, "REJECT before JOIN", frame(4, int32(WSAECONNREFUSED)));
        noMember(rows, "INVITE sent to a root", frame(2, good));
        noMember(rows, "LEAVE before JOIN", frame(6, int32(0)));
        noMember(rows, "JOIN with wrong magic", frame(1, joinBody(0x47455420, 1, 4, 0, new byte[0], 0, 0)));
        noMember(rows, "JOIN version 0", frame(1, joinBody(MAGIC, 0, 4, 0, new byte[0], 0, 0)));
        noMember(rows, "JOIN version 2", frame(1, joinBody(MAGIC, 2, 4, 0, new byte[0], 0, 0)));
        noMember(rows, "JOIN direction 0", frame(1, joinBody(MAGIC, 1, 0, 0, new byte[0], 0, 0)));
        noMember(rows, "JOIN direction 3", frame(1, joinBody(MAGIC, 1, 3, 0, new byte[0], 0, 0)));
        noMember(rows, "JOIN direction 0xFF", frame(1, joinBody(MAGIC, 1, 0xFF, 0, new byte[0], 0, 0)));
        noMember(rows, "JOIN caller data over maxConnectData", frame(1, joinBody(MAGIC, 1, 4, MAX_CONNECT_DATA + 1,
                new byte[MAX_CONNECT_DATA + 1], 0, 0)));
        noMember(rows, "JOIN caller data length beyond the frame", frame(1, joinBody(MAGIC, 1, 4, 10,
                new byte[5], 0, 0)));
        noMember(rows, "JOIN QoS flag 2", frame(1, joinBody(MAGIC, 1, 4, 0, new byte[0], 2, 0)));
        noMember(rows, "JOIN QoS flag 1 without flowspecs", frame(1, joinBody(MAGIC, 1, 4, 0, new byte[0], 1, 0)));
        noMember(rows, "JOIN QoS with half the flowspecs", frame(1, joinBody(MAGIC, 1, 4, 0, new byte[0], 1, 8)));
        noMember(rows, "JOIN with a trailing byte", frame(1, concat(good, new byte[] {0})));
        noMember(rows, "JOIN truncated inside the magic", frame(1, new byte[] {0x4A, 0x4C, 0x54}));
        noMember(rows, "JOIN without its QoS flag", frame(1, joinBody(MAGIC, 1, 4, 0, new byte[0], 0, 0)),
                true);
        noMember(rows, "an HTTP request", "GET / HTTP/1.1\r\nHost: root\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        noMember(rows, "a TLS ClientHello", new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xFC});
        noMember(rows, "silence until the join deadline", new byte[0]);
        noMember(rows, "half a length field, then silence", new byte[] {0, 0});
        noMember(rows, "a JOIN header whose body never comes", concat(lengthOnly(50), new byte[] {1, 0x4A}));
        noMember(rows, "PINGs only, never a JOIN (absolute deadline)", concat(frame(7, new byte[0]),
                frame(7, new byte[0]), frame(8, new byte[0])));
        peerQuits(rows, "TCP reset right after connect", new byte[0], true);
        peerQuits(rows, "FIN right after connect", new byte[0], false);
        peerQuits(rows, "half a JOIN, then FIN", Arrays.copyOf(okJoin, 7), false);

        // --- JOIN queued for WSAAccept, then a violation: the request is withdrawn (accept -> WSAECONNRESET) ---
        withdrawn(rows, "second JOIN while the first waits", okJoin);
        withdrawn(rows, "DATA before ACCEPT", frame(5, new byte[] {1}));
        withdrawn(rows, "oversize frame while waiting", lengthOnly(MAX_FRAME));
        withdrawn(rows, "TCP reset while waiting", null);

        // --- to an admitted member: the root's c_leaf gets FD_CLOSE with the code ---
        member(rows, "unknown type", frame(0x42, new byte[0]), WSAECONNABORTED);
        member(rows, "JOIN again", okJoin, WSAECONNABORTED);
        member(rows, "INVITE", frame(2, good), WSAECONNABORTED);
        member(rows, "ACCEPT", frame(3, new byte[] {0, 0}), WSAECONNABORTED);
        member(rows, "REJECT", frame(4, int32(WSAECONNREFUSED)), WSAECONNABORTED);
        member(rows, "empty frame", lengthOnly(0), WSAECONNABORTED);
        member(rows, "frame over maxFrameLength", concat(lengthOnly(MAX_FRAME), new byte[] {5}), WSAECONNABORTED);
        member(rows, "negative length", lengthOnly(-1), WSAECONNABORTED);
        member(rows, "DATA over maxMessageSize but under maxFrameLength", frame(5, new byte[MAX_MESSAGE + 1]),
                WSAECONNABORTED);
        member(rows, "PING with a body", frame(7, new byte[] {1}), WSAECONNABORTED);
        member(rows, "LEAVE with a truncated code", frame(6, new byte[] {0, 0}), WSAECONNABORTED);
        // issue 11 members held to their join: a LEAVE code outside {0, WSAECONNABORTED} is a violation (PROTOCOL.md §4.4)
        member(rows, "LEAVE carrying an arbitrary code", frame(6, int32(12345)), WSAECONNABORTED);
        member(rows, "LEAVE carrying WSAENETDOWN", frame(6, int32(Winsock2.WSAENETDOWN)), WSAECONNABORTED);
        member(rows, "LEAVE carrying -5", frame(6, int32(-5)), WSAECONNABORTED);
        member(rows, "LEAVE carrying 0 (graceful)", frame(6, int32(0)), 0);
        member(rows, "TCP reset", null, WSAECONNRESET);
        member(rows, "FIN without LEAVE", new byte[0], WSAECONNRESET);
        member(rows, "silence past the heartbeat timeout", new byte[] {}, WSAECONNABORTED, true);

        // --- to a listening c_leaf (an invitation that is not one) ---
        leafListener(rows, "JOIN instead of INVITE", okJoin);
        leafListener(rows, "INVITE with wrong magic", frame(2, joinBody(0x12345678, 1, 4, 0, new byte[0], 0, 0)));
        leafListener(rows, "DATA before INVITE", frame(5, new byte[] {9}));
        leafListener(rows, "length over maxFrameLength", lengthOnly(MAX_FRAME));
        leafListener(rows, "silence until the join deadline", new byte[0]);

        // --- a root answering a joining c_leaf badly: the leaf's join fails with the code ---
        joinAnswer(rows, "REJECT", frame(4, int32(WSAECONNREFUSED)), WSAECONNREFUSED);
        joinAnswer(rows, "garbage type", frame(0x33, new byte[0]), WSAECONNREFUSED);
        joinAnswer(rows, "DATA before ACCEPT", frame(5, new byte[] {1}), WSAECONNREFUSED);
        joinAnswer(rows, "ACCEPT with callee data over maxConnectData", frame(3, concat(new byte[] {0, (byte) 201},
                new byte[201])), WSAECONNREFUSED);
        joinAnswer(rows, "ACCEPT truncated", frame(3, new byte[] {0, 5, 1}), WSAECONNREFUSED);
        joinAnswer(rows, "FIN without an answer", new byte[0], WSAECONNREFUSED);
        joinAnswer(rows, "silence past joinTimeoutMillis", null, WSAETIMEDOUT);

        // --- bad arguments through the runtime's Winsock API ---
        api(rows, "WSAJoinLeaf namelen too small", WSAEFAULT, (t, leaf, rootName) ->
                t.ws.WSAJoinLeaf(leaf, rootName, 2, null, null, null, null, JL_BOTH));
        api(rows, "WSAJoinLeaf name null", WSAEFAULT, (t, leaf, rootName) ->
                t.ws.WSAJoinLeaf(leaf, null, 16, null, null, null, null, JL_BOTH));
        api(rows, "WSAJoinLeaf to ADDR_ANY", WSAEADDRNOTAVAIL, (t, leaf, rootName) -> {
            SOCKADDR any = SOCKADDR.of("0.0.0.0", rootName.port);
            return t.ws.WSAJoinLeaf(leaf, any, any.size(), null, null, null, null, JL_BOTH);
        });
        api(rows, "WSAJoinLeaf IPv6 name on an AF_INET socket", WSAEAFNOSUPPORT, (t, leaf, rootName) -> {
            SOCKADDR v6 = SOCKADDR.of("::1", rootName.port);
            return t.ws.WSAJoinLeaf(leaf, v6, v6.size(), null, null, null, null, JL_BOTH);
        });
        api(rows, "WSAJoinLeaf dwFlags 0", WSAEINVAL, (t, leaf, rootName) ->
                t.ws.WSAJoinLeaf(leaf, rootName, rootName.size(), null, null, null, null, 0));
        api(rows, "WSAJoinLeaf caller data over maxConnectData", WSAEFAULT, (t, leaf, rootName) ->
                t.ws.WSAJoinLeaf(leaf, rootName, rootName.size(), WSABUF.of(new byte[MAX_CONNECT_DATA + 1]), null,
                        null, null, JL_BOTH));
        api(rows, "WSAJoinLeaf caller len beyond its buffer", WSAEFAULT, (t, leaf, rootName) -> {
            WSABUF lying = WSABUF.allocate(4);
            lying.len = 64;
            return t.ws.WSAJoinLeaf(leaf, rootName, rootName.size(), lying, null, null, null, JL_BOTH);
        });
        api(rows, "WSAJoinLeaf on a closed socket", WSAENOTSOCK, (t, leaf, rootName) -> {
            assertEquals(0, t.ws.closesocket(leaf));
            return t.ws.WSAJoinLeaf(leaf, rootName, rootName.size(), null, null, null, null, JL_BOTH);
        });
        api(rows, "WSAJoinLeaf to a port nobody listens on", WSAECONNREFUSED, (t, leaf, rootName) -> {
            SOCKADDR nobody;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                nobody = SOCKADDR.of("127.0.0.1", s.getLocalPort());
            }
            return t.ws.WSAJoinLeaf(leaf, nobody, nobody.size(), null, null, null, null, JL_BOTH);
        });
        rows.add(new Object[] {"api: WSAJoinLeaf on a leaf already joined -> WSAEISCONN", (Row) t -> {
            SOCKET leaf = t.runtimeMember();
            SOCKADDR rootName = t.root.localAddress();
            assertEquals(SOCKET.INVALID_SOCKET,
                    t.ws.WSAJoinLeaf(leaf, rootName, rootName.size(), null, null, null, null, JL_BOTH));
            assertCode(WSAEISCONN, t.ws.WSAGetLastError());
        }});
        rows.add(new Object[] {"api: send over maxMessageSize -> WSAEMSGSIZE", (Row) t -> {
            SOCKET leaf = t.runtimeMember();
            byte[] big = new byte[MAX_MESSAGE + 1];
            assertEquals(Winsock2.SOCKET_ERROR, t.ws.send(leaf, big, big.length, 0));
            assertCode(WSAEMSGSIZE, t.ws.WSAGetLastError());
        }});
        rows.add(new Object[] {"api: WSASocket C_ROOT and C_LEAF together -> WSAEINVAL", (Row) t -> {
            t.startRuntime();
            SOCKET s = t.ws.WSASocket(Winsock2.AF_INET, Winsock2.SOCK_STREAM, Winsock2.IPPROTO_TCP, null, 0,
                    Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT | Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF
                            | Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF);
            assertEquals(SOCKET.INVALID_SOCKET, s);
            assertCode(WSAEINVAL, t.ws.WSAGetLastError());
        }});
        return rows;
    }

    // ---- row kinds ----

    private static void noMember(List<Object[]> rows, String what, byte[] bytes) {
        noMember(rows, what, bytes, false);
    }

    /** @param cutLastByte true to drop the last byte of {@code bytes} (a body that ends one field early) */
    private static void noMember(List<Object[]> rows, String what, byte[] bytes, boolean cutLastByte) {
        byte[] sent = cutLastByte ? withShorterFrame(bytes) : bytes;
        rows.add(new Object[] {"root, before JOIN: " + what + " -> closed, no member", (Row) t -> {
            try (RawLeaf raw = new RawLeaf(t.root.localAddress(), 0)) {
                raw.write(sent);
                assertTrue("the root closes the connection", raw.closedByPeer());
            }
            assertEquals("the root's WSAAccept sees nothing", 0, t.rootUp.count(FD_ACCEPT_BIT));
            assertNull(t.root.pendingRequest());
        }});
    }

    /** The same frame one byte shorter, its length field adjusted: the last field is missing, not cut by TCP. */
    private static byte[] withShorterFrame(byte[] frame) {
        byte[] shorter = Arrays.copyOf(frame, frame.length - 1);
        ByteBuffer.wrap(shorter).putInt(0, shorter.length - 4);
        return shorter;
    }

    private static void peerQuits(List<Object[]> rows, String what, byte[] bytes, boolean reset) {
        rows.add(new Object[] {"root, before JOIN: " + what + " -> no member", (Row) t -> {
            RawLeaf raw = new RawLeaf(t.root.localAddress(), 0);
            raw.write(bytes);
            if (reset) {
                raw.reset();
            } else {
                raw.close();
            }
            // nothing to wait for: the row's check is that no request ever shows up (after the good join)
        }});
    }

    private static void withdrawn(List<Object[]> rows, String what, byte[] bytes) {
        rows.add(new Object[] {"root, JOIN queued: " + what + " -> withdrawn, accept WSAECONNRESET", (Row) t -> {
            try (RawLeaf raw = new RawLeaf(t.root.localAddress(), 0)) {
                raw.join(JL_BOTH, new byte[0]);
                ConnectionRequest req = awaitRequest(t.root, t.rootUp);
                if (bytes == null) {
                    raw.reset();
                } else {
                    raw.write(bytes);
                    assertTrue("the root closes the connection", raw.closedByPeer());
                }
                t.rootUp.until("the request to be withdrawn", () -> t.root.pendingRequest() == null);
                expectWsa(WSAECONNRESET, () -> req.accept(null, new RecordingUpcalls("never")));
            }
        }});
    }

    private static void member(List<Object[]> rows, String what, byte[] bytes, int code) {
        member(rows, what, bytes, code, false);
    }

    /** @param bytes null: reset; empty: FIN (or, with {@code silent}, nothing at all) */
    private static void member(List<Object[]> rows, String what, byte[] bytes, int code, boolean silent) {
        rows.add(new Object[] {"member: " + what + " -> FD_CLOSE " + WSAError.nameOf(code), (Row) t -> {
            try (RawLeaf raw = new RawLeaf(t.root.localAddress(), 0)) {
                raw.join(JL_BOTH, new byte[0]);
                RecordingUpcalls linkUp = new RecordingUpcalls("raw member");
                awaitRequest(t.root, t.rootUp).accept(null, linkUp); // closed with the provider
                raw.expect(RawLeaf.ACCEPT);
                if (bytes == null) {
                    raw.reset();
                } else if (bytes.length == 0 && !silent) {
                    raw.close();
                } else {
                    raw.write(bytes);
                }
                assertCode(code, linkUp.await(FD_CLOSE_BIT));
                if (code == WSAECONNABORTED) {
                    assertTrue("the root cut the connection", raw.closedByPeer());
                }
            }
        }});
    }

    private static void leafListener(List<Object[]> rows, String what, byte[] bytes) {
        rows.add(new Object[] {"listening c_leaf: " + what + " -> closed, no invitation", (Row) t -> {
            RecordingUpcalls listenerUp = new RecordingUpcalls("listening leaf");
            MultipointSocket listener = t.socket(true, C_LEAF_D_LEAF, listenerUp);
            listener.bind(SOCKADDR.of("127.0.0.1", 0));
            listener.listen(1);
            try (RawLeaf raw = new RawLeaf(listener.localAddress(), 0)) {
                raw.write(bytes);
                assertTrue("the leaf closes the connection", raw.closedByPeer());
            }
            assertEquals(0, listenerUp.count(FD_ACCEPT_BIT));
            assertNull(listener.pendingRequest());
        }});
    }

    /** @param answer null: the raw root stays silent */
    private static void joinAnswer(List<Object[]> rows, String what, byte[] answer, int code) {
        rows.add(new Object[] {"joining c_leaf, root answers " + what + " -> join fails " + WSAError.nameOf(code),
                (Row) t -> {
            try (ServerSocket rawRoot = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                rawRoot.setSoTimeout((int) RecordingUpcalls.TIMEOUT_MILLIS);
                MultipointSocket leaf = t.socket(true, C_LEAF_D_LEAF, new RecordingUpcalls("joining leaf"));
                RecordingCompletion done = new RecordingCompletion();
                leaf.join(request(SOCKADDR.of("127.0.0.1", rawRoot.getLocalPort()), null, JL_BOTH, null), done);
                try (Socket s = rawRoot.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    in.skipNBytes(in.readInt()); // the JOIN
                    if (answer != null) {
                        s.getOutputStream().write(answer);
                        if (answer.length == 0) {
                            s.shutdownOutput();
                        }
                    }
                    assertCode(code, done.awaitCode());
                }
            }
        }});
    }

    interface ApiCall {
        SOCKET call(BadInputCatalogueTest t, SOCKET leaf, SOCKADDR rootName) throws Exception;
    }

    private static void api(List<Object[]> rows, String what, int code, ApiCall call) {
        rows.add(new Object[] {"api: " + what + " -> " + WSAError.nameOf(code), (Row) t -> {
            t.startRuntime();
            SOCKET leaf = t.ws.WSASocket(Winsock2.AF_INET, Winsock2.SOCK_STREAM, Winsock2.IPPROTO_TCP, null, 0,
                    C_LEAF_D_LEAF);
            assertNotEquals(SOCKET.INVALID_SOCKET, leaf);
            assertEquals(SOCKET.INVALID_SOCKET, call.call(t, leaf, t.root.localAddress()));
            assertCode(code, t.ws.WSAGetLastError());
        }});
    }

    // ---- helpers ----

    private static void assertCode(int expected, int actual) {
        assertEquals("expected " + WSAError.describe(expected) + " but was " + WSAError.describe(actual), expected,
                actual);
    }

    private void startRuntime() {
        ProviderCatalog catalog = new ProviderCatalog();
        catalog.add(provider, "tcp", 200, 1L);
        ws = new WinsockProcess(catalog);
        assertEquals(0, ws.WSAStartup(Winsock2.MAKEWORD(2, 2), new WSADATA()));
        background = Executors.newFixedThreadPool(1);
    }

    /**
     * A runtime c_leaf joined to a runtime root: the fixture's provider root is not reachable through the runtime,
     * so the member joins a second root made through the API.
     */
    private SOCKET runtimeMember() throws Exception {
        startRuntime();
        int rootFlags = Winsock2.WSA_FLAG_MULTIPOINT_C_ROOT | Winsock2.WSA_FLAG_MULTIPOINT_D_ROOT;
        SOCKET apiRoot = ws.WSASocket(Winsock2.AF_INET, Winsock2.SOCK_STREAM, Winsock2.IPPROTO_TCP, null, 0, rootFlags);
        SOCKADDR local = SOCKADDR.of("127.0.0.1", 0);
        assertEquals(0, ws.bind(apiRoot, local, local.size()));
        assertEquals(0, ws.listen(apiRoot, 4));
        SOCKADDR rootName = new SOCKADDR();
        assertEquals(0, ws.getsockname(apiRoot, rootName, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE}));
        SOCKET leaf = ws.WSASocket(Winsock2.AF_INET, Winsock2.SOCK_STREAM, Winsock2.IPPROTO_TCP, null, 0,
                C_LEAF_D_LEAF);
        Future<SOCKET> joined = background.submit(() ->
                ws.WSAJoinLeaf(leaf, rootName, rootName.size(), null, null, null, null, JL_BOTH));
        assertNotEquals(SOCKET.INVALID_SOCKET, ws.WSAAccept(apiRoot, null, null, null, 0));
        assertEquals(leaf, joined.get(RecordingUpcalls.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        return leaf;
    }
}
