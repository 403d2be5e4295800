package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.CF_ACCEPT;
import static org.joinleaf.api.Winsock2.FD_ACCEPT;
import static org.joinleaf.api.Winsock2.FIONREAD;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.WSAECONNREFUSED;
import static org.joinleaf.api.Winsock2.WSAETIMEDOUT;
import static org.joinleaf.api.Winsock2.WSAEWOULDBLOCK;
import static org.joinleaf.tcp.TlsPeer.LEAF;
import static org.joinleaf.tcp.TlsPeer.ROOT;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.WSAPEERIDENTITY;
import org.joinleaf.runtime.admission.AdmissionPolicy;
import org.joinleaf.spi.config.BadConfigurationException;
import org.joinleaf.tcp.session.TcpSettings;
import org.joinleaf.tcp.tls.TlsMode;
import org.joinleaf.tcp.tls.TlsSettings;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * TLS and mutual TLS end to end, through the runtime: who may join, what the condition function learns about the
 * caller, and that every refusal caused by TLS is {@code WSAECONNREFUSED} at the caller before the root's
 * application sees anything (reliability.md threats "unauthenticated join" and "spoofed leaf", scorecard 7).
 */
public class TlsJoinTest {
    private static final long HANG_BOUND_SECONDS = 20;
    private static TestPki pki;
    private static Path rootKeys;
    private static Path leafKeys;
    private static Path strangerKeys;
    private static Path trustsLeaf;
    private static Path trustsRoot;

    private final ExecutorService background = Executors.newCachedThreadPool();
    private TlsPeer root;
    private TlsPeer leaf;

    @BeforeClass
    public static void makeIdentities() throws Exception {
        pki = TestPki.create("root", "leaf", "stranger");
        rootKeys = pki.keyStore("root");
        leafKeys = pki.keyStore("leaf");
        strangerKeys = pki.keyStore("stranger");
        trustsLeaf = pki.trustStore("leaf");
        trustsRoot = pki.trustStore("root");
    }

    @AfterClass
    public static void dropIdentities() throws Exception {
        pki.close();
    }

    @After
    public void stop() throws InterruptedException {
        background.shutdownNow();
        for (TlsPeer p : new TlsPeer[] {leaf, root}) {
            if (p != null) {
                p.close();
            }
        }
        background.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Joins {@code leaf} to {@code rootAddress} in the background; the result is 0 or the join's error. */
    private Future<Integer> join(SOCKET s, SOCKADDR rootAddress) {
        return background.submit(() -> leaf.ws.WSAJoinLeaf(s, rootAddress, rootAddress.size(), null, null, null,
                null, JL_BOTH) == SOCKET.INVALID_SOCKET ? leaf.ws.WSAGetLastError() : 0);
    }

    private static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test // threat "unauthenticated join" answered: mutual TLS, identity from the key reaches the condition function
    public void mutualTlsJoinCarriesDataBothWaysAndShowsTheLeafCertificate() throws Exception {
        root = new TlsPeer(TlsMode.MUTUAL_TLS, rootKeys, trustsLeaf);
        leaf = new TlsPeer(TlsMode.MUTUAL_TLS, leafKeys, trustsRoot);
        SOCKET listening = root.listening(ROOT);
        SOCKET s = leaf.socket(LEAF);
        Future<Integer> joined = join(s, root.localAddress(listening));

        AtomicReference<WSAPEERIDENTITY> seen = new AtomicReference<>();
        SOCKET link = root.ws.WSAAccept(listening, null, null, LPCONDITIONPROC.withIdentity(
                (identity, callerId, callerData, sqos, gqos, calleeId, calleeData, g, cb) -> {
                    seen.set(identity);
                    return CF_ACCEPT;
                }), 0);
        assertNotEquals("WSAAccept: " + root.ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, link);
        assertEquals(Integer.valueOf(0), joined.get(HANG_BOUND_SECONDS, TimeUnit.SECONDS));
        assertNotNull("the condition function saw the caller's identity", seen.get());
        assertEquals(pki.fingerprint("leaf"), seen.get().fingerprintHex());
        assertEquals("CN=leaf,O=joinleaf test", seen.get().subject());
        assertEquals("TLSv1.3", seen.get().protocol());

        byte[] down = random(60_000, 1);
        assertEquals(down.length, root.ws.send(listening, down, down.length, 0));
        byte[] buf = new byte[65_536];
        assertEquals(down.length, leaf.ws.recv(s, buf, buf.length, 0));
        assertArrayEquals(down, java.util.Arrays.copyOf(buf, down.length));
        byte[] up = random(1_000, 2);
        assertEquals(up.length, leaf.ws.send(s, up, up.length, 0));
        assertEquals(up.length, root.ws.recv(listening, buf, buf.length, 0));
        assertArrayEquals(up, java.util.Arrays.copyOf(buf, up.length));
    }

    // threat "spoofed leaf" (root side): tlsMode TLS: the root proves its identity, the leaf presents none (identity
    // null)
    @Test
    public void serverAuthenticatedJoinGivesNoCallerIdentity() throws Exception {
        root = new TlsPeer(TlsMode.TLS, rootKeys, trustsLeaf);
        leaf = new TlsPeer(TlsMode.TLS, leafKeys, trustsRoot);
        SOCKET listening = root.listening(ROOT);
        SOCKET s = leaf.socket(LEAF);
        Future<Integer> joined = join(s, root.localAddress(listening));
        AtomicReference<Object> seen = new AtomicReference<>("not called");
        SOCKET link = root.ws.WSAAccept(listening, null, null, LPCONDITIONPROC.withIdentity(
                (identity, a, b, c, d, e, f, g, h) -> {
                    seen.set(identity);
                    return CF_ACCEPT;
                }), 0);
        assertNotEquals("WSAAccept: " + root.ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, link);
        assertEquals(Integer.valueOf(0), joined.get(HANG_BOUND_SECONDS, TimeUnit.SECONDS));
        assertNull(seen.get());
        byte[] hello = {1, 2, 3, 0, 10, 13};
        assertEquals(hello.length, root.ws.send(listening, hello, hello.length, 0));
        byte[] buf = new byte[16];
        assertEquals(hello.length, leaf.ws.recv(s, buf, buf.length, 0));
    }

    @Test // scorecard 7: a leaf without a certificate
    public void leafWithoutCertificateIsRefusedBeforeTheRootSeesIt() throws Exception {
        root = new TlsPeer(TlsMode.MUTUAL_TLS, rootKeys, trustsLeaf);
        leaf = new TlsPeer(TlsMode.TLS, leafKeys, trustsRoot);
        assertRefusedUnseen();
    }

    @Test // scorecard 7, threat "spoofed leaf": a certificate the root does not trust
    public void leafWithUntrustedCertificateIsRefusedBeforeTheRootSeesIt() throws Exception {
        root = new TlsPeer(TlsMode.MUTUAL_TLS, rootKeys, trustsLeaf);
        leaf = new TlsPeer(TlsMode.MUTUAL_TLS, strangerKeys, trustsRoot);
        assertRefusedUnseen();
    }

    @Test // scorecard 7: a plain leaf against a TLS root
    public void plainLeafAgainstTlsRootIsRefusedBeforeTheRootSeesIt() throws Exception {
        root = new TlsPeer(TlsMode.MUTUAL_TLS, rootKeys, trustsLeaf);
        leaf = new TlsPeer(TlsPeer.settings(TlsSettings.OFF));
        assertRefusedUnseen();
    }

    @Test // scorecard 7: the leaf does not trust the root's certificate
    public void tlsLeafAgainstUntrustedRootIsRefusedBeforeTheRootSeesIt() throws Exception {
        root = new TlsPeer(TlsMode.MUTUAL_TLS, strangerKeys, trustsLeaf);
        leaf = new TlsPeer(TlsMode.MUTUAL_TLS, leafKeys, trustsRoot);
        assertRefusedUnseen();
    }

    /** WSAECONNREFUSED at the leaf; the root got no FD_ACCEPT, has nothing queued and 0 bytes to read. */
    private void assertRefusedUnseen() throws Exception {
        SOCKET listening = root.listening(ROOT);
        WSAEVENT event = root.ws.WSACreateEvent();
        assertEquals(0, root.ws.WSAEventSelect(listening, event, FD_ACCEPT));
        SOCKET s = leaf.socket(LEAF);
        assertEquals(Integer.valueOf(WSAECONNREFUSED),
                join(s, root.localAddress(listening)).get(HANG_BOUND_SECONDS, TimeUnit.SECONDS));
        WSANETWORKEVENTS events = new WSANETWORKEVENTS();
        assertEquals(0, root.ws.WSAEnumNetworkEvents(listening, event, events));
        assertEquals("no FD_ACCEPT", 0, events.lNetworkEvents & FD_ACCEPT);
        assertEquals(SOCKET.INVALID_SOCKET, root.ws.WSAAccept(listening, null, null, null, 0));
        assertEquals(WSAEWOULDBLOCK, root.ws.WSAGetLastError());
        int[] pending = {-1};
        assertEquals(0, root.ws.ioctlsocket(listening, FIONREAD, pending));
        assertEquals("0 bytes delivered", 0, pending[0]);
    }

    // scorecard 7, decision 14 (AdmissionPolicy as default condition): an authenticated leaf whose fingerprint is not
    // allowed
    @Test
    public void admissionPolicyRefusesAFingerprintItDoesNotAllowAndAdmitsOneItDoes() throws Exception {
        root = new TlsPeer(TlsMode.MUTUAL_TLS, rootKeys, trustsLeaf);
        leaf = new TlsPeer(TlsMode.MUTUAL_TLS, leafKeys, trustsRoot);
        SOCKET listening = root.listening(ROOT);
        SOCKADDR rootAddress = root.localAddress(listening);
        AdmissionPolicy others = AdmissionPolicy.configured(Map.of("allowedFingerprints",
                new String[] {pki.fingerprint("stranger")}));
        root.ws.bindDefaultCondition(others);

        SOCKET refused = leaf.socket(LEAF);
        Future<Integer> first = join(refused, rootAddress);
        assertEquals(SOCKET.INVALID_SOCKET, root.ws.WSAAccept(listening, null, null, null, 0));
        assertEquals(WSAECONNREFUSED, root.ws.WSAGetLastError());
        assertEquals(Integer.valueOf(WSAECONNREFUSED), first.get(HANG_BOUND_SECONDS, TimeUnit.SECONDS));

        // colons and upper case as an operator may paste them
        String pasted = pki.fingerprint("leaf").toUpperCase().replaceAll("(..)(?!$)", "$1:");
        root.ws.bindDefaultCondition(AdmissionPolicy.configured(Map.of("allowedFingerprints", new String[] {pasted})));
        root.ws.unbindDefaultCondition(others);
        SOCKET admitted = leaf.socket(LEAF);
        Future<Integer> second = join(admitted, rootAddress);
        assertNotEquals("WSAAccept: " + root.ws.WSAGetLastError(), SOCKET.INVALID_SOCKET,
                root.ws.WSAAccept(listening, null, null, null, 0));
        assertEquals(Integer.valueOf(0), second.get(HANG_BOUND_SECONDS, TimeUnit.SECONDS));
    }

    @Test // §1.4 way 1 over mutual TLS: the root is the TLS client; the leaf's condition function sees the root
    public void invitationOverMutualTlsShowsTheRootIdentityToTheLeaf() throws Exception {
        root = new TlsPeer(TlsMode.MUTUAL_TLS, rootKeys, trustsLeaf);
        leaf = new TlsPeer(TlsMode.MUTUAL_TLS, leafKeys, trustsRoot);
        SOCKET listener = leaf.listening(LEAF);
        SOCKADDR leafAddress = leaf.localAddress(listener);
        SOCKET c_root = root.socket(ROOT);
        Future<SOCKET> invited = background.submit(() -> root.ws.WSAJoinLeaf(c_root, leafAddress,
                leafAddress.size(), null, null, null, null, JL_BOTH));
        AtomicReference<WSAPEERIDENTITY> seen = new AtomicReference<>();
        // Both blocking calls in the background, each awaited with a bound: an invitation that fails (a TLS
        // handshake over its deadline on a loaded machine) fails the test instead of leaving WSAAccept waiting.
        Future<SOCKET> accepted = background.submit(() -> leaf.ws.WSAAccept(listener, null, null,
                LPCONDITIONPROC.withIdentity((identity, a, b, c, d, e, f, g, h) -> {
                    seen.set(identity);
                    return CF_ACCEPT;
                }), 0));
        assertNotEquals("WSAJoinLeaf: " + root.ws.WSAGetLastError(), SOCKET.INVALID_SOCKET,
                invited.get(HANG_BOUND_SECONDS, TimeUnit.SECONDS));
        SOCKET member = accepted.get(HANG_BOUND_SECONDS, TimeUnit.SECONDS);
        assertNotEquals("WSAAccept: " + leaf.ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, member);
        assertEquals(pki.fingerprint("root"), seen.get().fingerprintHex());

        byte[] hello = random(100, 3);
        assertEquals(hello.length, root.ws.send(c_root, hello, hello.length, 0));
        byte[] buf = new byte[128];
        assertEquals(hello.length, leaf.ws.recv(member, buf, buf.length, 0));
        assertArrayEquals(hello, java.util.Arrays.copyOf(buf, hello.length));
    }

    // threat "unauthenticated join" (no silent fallback to plain TCP): bad configuration fails activation with a
    // message naming the property; no event loop is left behind
    @Test
    public void unusableStoresFailTheStartNamingTheProperty() throws Exception {
        Path missing = pki.dir().resolve("missing.p12");
        assertStartFails("keyStore", "no such file", TlsSettings.of(TlsMode.MUTUAL_TLS, missing.toString(),
                TestPki.PASSWORD, trustsRoot.toString(), TestPki.PASSWORD));
        assertStartFails(".keyStorePassword", "wrong password", TlsSettings.of(TlsMode.TLS, leafKeys.toString(), "wrong",
                trustsRoot.toString(), TestPki.PASSWORD));
        assertStartFails("trustStore", "must name", TlsSettings.of(TlsMode.MUTUAL_TLS, leafKeys.toString(),
                TestPki.PASSWORD, "", ""));
        assertStartFails(".trustStorePassword", "wrong password", TlsSettings.of(TlsMode.MUTUAL_TLS, leafKeys.toString(),
                TestPki.PASSWORD, trustsRoot.toString(), "wrong"));
    }

    private static void assertStartFails(String key, String rule, TlsSettings tls) {
        TcpProvider provider = new TcpProvider();
        try {
            provider.start(TlsPeer.settings(tls));
            provider.stop();
            fail("started with " + tls);
        } catch (BadConfigurationException e) { // PID, key, value (a password hidden) and rule in one line
            assertEquals(e.getMessage(), key, e.key());
            assertTrue(e.getMessage(), e.rule().startsWith(rule));
            assertTrue(e.getMessage(), e.getMessage().startsWith("configuration " + TcpProvider.PID + ": " + key));
            assertFalse(e.getMessage(), e.getMessage().contains(TestPki.PASSWORD));
        }
        assertNull("nothing runs after a failed start", provider.transport());
    }

    @Test // threat "slow handshake": a root that never answers the TLS handshake; the join deadline says WSAETIMEDOUT
    public void handshakeWithASilentRootTimesOutWithTimedOut() throws Exception {
        TcpSettings.Builder b = TcpSettings.builder();
        b.tls = TlsSettings.of(TlsMode.MUTUAL_TLS, leafKeys.toString(), TestPki.PASSWORD, trustsRoot.toString(),
                TestPki.PASSWORD);
        b.joinTimeoutMillis = 300;
        leaf = new TlsPeer(b.build());
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SOCKADDR address = SOCKADDR.of("127.0.0.1", silent.getLocalPort());
            assertEquals(Integer.valueOf(WSAETIMEDOUT),
                    join(leaf.socket(LEAF), address).get(HANG_BOUND_SECONDS, TimeUnit.SECONDS));
        }
    }

    // §1.4 way 1 refused by TLS: the listening leaf does not trust the inviting root; its application sees nothing
    @Test
    public void invitationFromAnUntrustedRootIsRefusedBeforeTheLeafSeesIt() throws Exception {
        root = new TlsPeer(TlsMode.MUTUAL_TLS, strangerKeys, trustsLeaf);
        leaf = new TlsPeer(TlsMode.MUTUAL_TLS, leafKeys, trustsRoot);
        SOCKET listener = leaf.listening(LEAF);
        WSAEVENT event = leaf.ws.WSACreateEvent();
        assertEquals(0, leaf.ws.WSAEventSelect(listener, event, FD_ACCEPT));
        SOCKADDR leafAddress = leaf.localAddress(listener);
        SOCKET c_root = root.socket(ROOT);
        Future<Integer> invited = background.submit(() -> root.ws.WSAJoinLeaf(c_root, leafAddress,
                leafAddress.size(), null, null, null, null, JL_BOTH) == SOCKET.INVALID_SOCKET
                ? root.ws.WSAGetLastError() : 0);
        assertEquals(Integer.valueOf(WSAECONNREFUSED), invited.get(HANG_BOUND_SECONDS, TimeUnit.SECONDS));
        WSANETWORKEVENTS events = new WSANETWORKEVENTS();
        assertEquals(0, leaf.ws.WSAEnumNetworkEvents(listener, event, events));
        assertEquals("no FD_ACCEPT at the leaf", 0, events.lNetworkEvents & FD_ACCEPT);
    }
}
