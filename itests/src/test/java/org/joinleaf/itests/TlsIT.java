package org.joinleaf.itests;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.itests.WinsockFixture.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAPEERIDENTITY;
import org.joinleaf.spi.TransportProvider;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Mutual TLS inside Felix (issue 7 item 1, reliability.md scorecard 7): provider.tcp configured through Config
 * Admin with keytool-made PKCS12 stores (the JDK TLS provider, netty-handler's ssl package resolved in Felix), a join
 * whose condition function sees the caller's certificate, then the admission policy (PID org.joinleaf.admission) as
 * the default condition: a fingerprint list without the caller refuses it, one with it admits it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TlsIT extends InFramework {
    private static final String KEYSTORE = TlsStores.KEYSTORE;
    private static final String TRUSTSTORE = TlsStores.TRUSTSTORE;
    private static final String MEMBER_FINGERPRINT = TlsStores.MEMBER_FINGERPRINT;
    private static final String STRANGER_FINGERPRINT = TlsStores.STRANGER_FINGERPRINT;
    private static final long WAIT_MILLIS = 10_000;

    @Inject
    ConfigurationAdmin configAdmin;

    private ExecutorService joiner;

    /** Runs outside the framework: keytool makes the stores once, their paths reach the tests as properties. */
    @Configuration
    public Option[] config() throws Exception {
        Map<String, String> stores = TlsStores.make();
        Option[] properties = stores.entrySet().stream()
                .map(e -> systemProperty(e.getKey()).value(e.getValue())).toArray(Option[]::new);
        return new Option[] {JoinleafOptions.base(), JoinleafOptions.netty(),
            mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
            CoreOptions.bundle(JoinleafOptions.projectBundle("provider.tcp")), CoreOptions.composite(properties)};
    }

    @Before
    public void start() throws Exception {
        Dictionary<String, Object> tls = new Hashtable<>();
        tls.put("tlsMode", "MUTUAL_TLS");
        tls.put("keyStore", System.getProperty(KEYSTORE));
        tls.put(".keyStorePassword", TlsStores.PASSWORD);
        tls.put("trustStore", System.getProperty(TRUSTSTORE));
        tls.put(".trustStorePassword", TlsStores.PASSWORD);
        org.osgi.service.cm.Configuration tcp = configAdmin.getConfiguration("org.joinleaf.tcp", "?");
        String restarted = "";
        if (tcp.getProperties() == null || !"MUTUAL_TLS".equals(tcp.getProperties().get("tlsMode"))) {
            // A tlsMode change restarts the provider (README, "Configuration"): wait for the new registration, not
            // for the old one, whose properties @Modified updates just before the restart takes it away.
            ServiceReference<?>[] before = context.getServiceReferences(TransportProvider.class.getName(),
                    "(joinleaf.provider.name=tcp)");
            restarted = before == null ? "" : "(!(service.id=" + before[0].getProperty(Constants.SERVICE_ID) + "))";
            tcp.update(tls); // once per class: the restart ends the provider's sockets
        }
        awaitService(TransportProvider.class, "(&(joinleaf.provider.name=tcp)(tlsMode=MUTUAL_TLS)" + restarted + ")");
        startup(ws);
        awaitEntry(ws, "joinleaf tcp multipoint [rooted]", true);
        joiner = Executors.newSingleThreadExecutor();
    }

    @After
    public void cleanup() throws Exception {
        joiner.shutdownNow();
        cleanupAll(ws);
        joiner.awaitTermination(5, TimeUnit.SECONDS);
        configAdmin.getConfiguration("org.joinleaf.admission", "?").delete();
    }

    private void awaitService(Class<?> type, String filter) throws InvalidSyntaxException, InterruptedException {
        awaitTrue("no " + type.getSimpleName() + " " + filter, () -> {
            try {
                return context.getServiceReferences(type.getName(), filter) != null;
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException(e);
            }
        });
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean()) {
            assertTrue(what + " within " + WAIT_MILLIS + " ms", System.currentTimeMillis() < deadline);
            Thread.sleep(20); // polling the service registry, bounded by the deadline above
        }
    }

    private SOCKET listeningRoot() {
        SOCKET root = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, ROOT);
        assertNotEquals("WSASocket: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, root);
        assertEquals(0, ws.bind(root, SOCKADDR.of("127.0.0.1", 0), 16));
        assertEquals(0, ws.listen(root, SOMAXCONN));
        return root;
    }

    private Future<Integer> join(SOCKET root) {
        SOCKADDR at = new SOCKADDR();
        assertEquals(0, ws.getsockname(root, at, new int[] {SOCKADDR.SIZEOF_SOCKADDR_STORAGE}));
        SOCKET leaf = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, LEAF);
        return joiner.submit(() -> ws.WSAJoinLeaf(leaf, at, at.size(), null, null, null, null, JL_BOTH)
                == SOCKET.INVALID_SOCKET ? ws.WSAGetLastError() : 0);
    }

    private void configureAdmission(String fingerprints) throws Exception {
        Dictionary<String, Object> policy = new Hashtable<>();
        policy.put("allowedFingerprints", fingerprints); // one comma separated string, as a .cfg file gives it
        configAdmin.getConfiguration("org.joinleaf.admission", "?").update(policy);
        awaitService(LPCONDITIONPROC.class, "(&(joinleaf.condition=default)(allowedFingerprints=" + fingerprints
                + "))");
    }

    // scorecard 7, threat "unauthenticated join": a mutual-TLS join in Felix; the condition function sees the leaf's
    // certificate
    @Test
    public void mutualTlsJoinShowsTheCallerCertificate() throws Exception {
        SOCKET root = listeningRoot();
        Future<Integer> joined = join(root);
        AtomicReference<WSAPEERIDENTITY> seen = new AtomicReference<>();
        SOCKET link = ws.WSAAccept(root, null, null, LPCONDITIONPROC.withIdentity((id, a, b, c, d, e, f, g, h) -> {
            seen.set(id);
            return CF_ACCEPT;
        }), 0);
        assertNotEquals("WSAAccept: " + ws.WSAGetLastErrorMessage(), SOCKET.INVALID_SOCKET, link);
        assertEquals(Integer.valueOf(0), joined.get(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals(System.getProperty(MEMBER_FINGERPRINT), seen.get().fingerprintHex());
        byte[] hello = {'t', 'l', 's'};
        assertEquals(3, ws.send(root, hello, 3, 0));
    }

    // scorecard 7, decision 14 (default condition) from Config Admin: refused while the caller is not listed,
    // admitted once it is
    @Test
    public void admissionPolicyRefusesThenAdmitsAfterReconfiguration() throws Exception {
        SOCKET root = listeningRoot();
        configureAdmission(System.getProperty(STRANGER_FINGERPRINT));
        Future<Integer> refused = join(root);
        assertFails(ws, WSAECONNREFUSED, ws.WSAAccept(root, null, null, null, 0));
        assertEquals(Integer.valueOf(WSAECONNREFUSED), refused.get(WAIT_MILLIS, TimeUnit.MILLISECONDS));

        configureAdmission(System.getProperty(STRANGER_FINGERPRINT) + "," + System.getProperty(MEMBER_FINGERPRINT));
        Future<Integer> admitted = join(root);
        assertNotEquals("WSAAccept: " + ws.WSAGetLastErrorMessage(), SOCKET.INVALID_SOCKET,
                ws.WSAAccept(root, null, null, null, 0));
        assertEquals(Integer.valueOf(0), admitted.get(WAIT_MILLIS, TimeUnit.MILLISECONDS));
    }
}
