package org.joinleaf.itests;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.itests.WinsockFixture.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAError;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Issue 15 item 2: provider.tcp installed without provider.qos resolves (the QoS API package comes from
 * provider.api), starts and is in the catalog; provider.qos arriving later adds the QoS entries; updating and
 * refreshing provider.qos, then uninstalling it, never stops provider.tcp nor drops a joined plain session.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class TcpWithoutQosIT extends InFramework {
    private static final String PLAIN = "joinleaf tcp multipoint [rooted]";
    private static final String WITH_QOS = PLAIN + " + QoS";
    private static final String TCP_BUNDLE = "org.joinleaf.provider.tcp";
    private static final String QOS_API = "org.joinleaf.qos";

    @Configuration
    public Option[] config() {
        return new Option[] {JoinleafOptions.base(), JoinleafOptions.nettyOnly(),
            CoreOptions.bundle(JoinleafOptions.projectBundle("provider.tcp"))};
    }

    @Before
    public void start() {
        startup(ws);
    }

    // issue 15 item 2: no provider.qos installed; tcp is active, wired to provider.api for org.joinleaf.qos, listed
    // in the catalog without QoS entries, and a plain join works
    @Test
    public void tcpAlone_wiredToTheApiBundle_inTheCatalog_joinsWork() throws Exception {
        assertNull("provider.qos must not be installed here", bundle("org.joinleaf.provider.qos"));
        Bundle tcp = bundle(TCP_BUNDLE);
        assertEquals(Bundle.ACTIVE, tcp.getState());
        assertEquals("org.joinleaf.provider.api", qosApiExporterOf(tcp));
        awaitEntry(ws, PLAIN, true);
        assertTrue("a QoS entry without a QoS service", protocols(ws).stream().noneMatch(p -> p.has(XP1_QOS_SUPPORTED)));

        Session s = joinedSession();
        s.exchange();
    }

    // issue 15 item 2: provider.qos installed later adds "+ QoS"; updated and refreshed it comes back; uninstalled
    // it goes; provider.tcp is never stopped and a plain session joined before keeps exchanging data throughout
    @Test
    public void qosArrivesIsUpdatedRefreshedAndRemoved_tcpAndItsSessionStayUp() throws Exception {
        Bundle tcp = bundle(TCP_BUNDLE);
        List<BundleEvent> tcpEvents = new CopyOnWriteArrayList<>();
        BundleListener watch = e -> {
            if (e.getBundle().equals(tcp)) {
                tcpEvents.add(e);
            }
        };
        context.addBundleListener(watch);
        try {
            awaitEntry(ws, PLAIN, true);
            Session s = joinedSession();

            Bundle qos = context.installBundle(JoinleafOptions.projectBundle("provider.qos"));
            qos.start();
            awaitEntry(ws, WITH_QOS, true);
            s.exchange();

            qos.update();
            refresh(qos);
            assertEquals(Bundle.ACTIVE, qos.getState());
            awaitEntry(ws, WITH_QOS, true);
            s.exchange();

            qos.uninstall();
            refresh(qos);
            awaitEntry(ws, WITH_QOS, false);
            awaitEntry(ws, PLAIN, true);
            s.exchange();

            assertEquals("provider.tcp saw bundle events " + tcpEvents, List.of(), tcpEvents);
            assertEquals(Bundle.ACTIVE, tcp.getState());
            assertEquals("org.joinleaf.provider.api", qosApiExporterOf(tcp));
        } finally {
            context.removeBundleListener(watch);
        }
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /** The symbolic name of the bundle {@code importer} gets the QoS API package from. */
    private static String qosApiExporterOf(Bundle importer) {
        BundleWiring wiring = importer.adapt(BundleWiring.class);
        for (BundleWire wire : wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (QOS_API.equals(wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                return wire.getProvider().getBundle().getSymbolicName();
            }
        }
        throw new AssertionError(importer.getSymbolicName() + " has no wire for " + QOS_API);
    }

    /** FrameworkWiring.refreshBundles of {@code bundle}, waited for (bounded). */
    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue("refresh did not finish", done.await(30, TimeUnit.SECONDS));
    }

    /** A c_root/d_root listening on 127.0.0.1 and a leaf joined to it without QoS. */
    private Session joinedSession() throws Exception {
        SOCKET root = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, entryNamed(ws, PLAIN), 0, ROOT);
        assertNotEquals("WSASocket: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, root);
        SOCKADDR at = new SOCKADDR();
        assertEquals(0, ws.bind(root, SOCKADDR.of("127.0.0.1", 0), 16));
        assertEquals(0, ws.getsockname(root, at, new int[] {16}));
        assertEquals(0, ws.listen(root, SOMAXCONN));
        SOCKET leaf = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, entryNamed(ws, PLAIN), 0, LEAF);
        assertNotEquals("WSASocket: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, leaf);
        CompletableFuture<SOCKET> accepted = CompletableFuture.supplyAsync(() -> ws.WSAAccept(root, null, null, ACCEPT_ALL, 0));
        SOCKET joined = ws.WSAJoinLeaf(leaf, at, 16, null, null, null, null, JL_BOTH);
        assertEquals("WSAJoinLeaf: " + WSAError.describe(ws.WSAGetLastError()), leaf, joined);
        assertNotEquals("WSAAccept", SOCKET.INVALID_SOCKET, accepted.get(10, TimeUnit.SECONDS));
        return new Session(root, leaf);
    }

    /** A joined root and leaf of provider.tcp. */
    private final class Session {
        private final SOCKET root;
        private final SOCKET leaf;

        Session(SOCKET root, SOCKET leaf) {
            this.root = root;
            this.leaf = leaf;
        }

        /** One message each way; fails if the session was dropped. */
        void exchange() {
            byte[] hello = "still here".getBytes();
            byte[] in = new byte[64];
            assertEquals("root send: " + WSAError.describe(ws.WSAGetLastError()), hello.length,
                    ws.send(root, hello, hello.length, 0));
            assertEquals("leaf recv: " + WSAError.describe(ws.WSAGetLastError()), hello.length,
                    ws.recv(leaf, in, in.length, 0));
            assertEquals(hello.length, ws.send(leaf, hello, hello.length, 0));
            assertEquals(hello.length, ws.recvfrom(root, in, in.length, 0, new SOCKADDR(), new int[] {16}));
        }
    }
}
