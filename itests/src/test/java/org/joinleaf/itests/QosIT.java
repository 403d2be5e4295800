package org.joinleaf.itests;

import static org.joinleaf.api.Winsock2.*;
import static org.joinleaf.itests.WinsockFixture.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.Winsock;
import org.joinleaf.qos.QosService;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Issue 5 item 5 in Felix: conformance group K against provider.tcp with provider.qos (K.50–K.52), admission
 * running out and coming back with the default capacity (10 MiB/s for scope "tcp"), FD_QOS once per change, and the
 * QoS bundle stopped and started at runtime while provider.tcp keeps working.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class QosIT extends InFramework {
    private static final String PLAIN = "joinleaf tcp multipoint [rooted]";
    private static final String WITH_QOS = PLAIN + " + QoS";
    private static final String QOS_BUNDLE = "org.joinleaf.provider.qos";
    private static final int MIB = 1024 * 1024;
    /** The QoS service's default capacity per scope (Metatype default of defaultCapacity). */
    private static final long DEFAULT_CAPACITY = 10L * MIB;

    private ExecutorService acceptor;

    @Configuration
    public Option[] config() {
        return new Option[] {JoinleafOptions.base(), JoinleafOptions.netty(),
            CoreOptions.bundle(JoinleafOptions.projectBundle("provider.tcp"))};
    }

    @Before
    public void start() {
        startup(ws);
        awaitEntry(ws, WITH_QOS, true);
        acceptor = Executors.newSingleThreadExecutor();
    }

    @After
    public void cleanup() throws InterruptedException {
        acceptor.shutdownNow();
        cleanupAll(ws); // closes every socket, which returns every reservation
        acceptor.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Sending CONTROLLEDLOAD at {@code rate} bytes/s with a bucket of {@code bucket}; receiving best effort. */
    private static QOS controlledLoad(int rate, int bucket) {
        QOS q = new QOS();
        q.SendingFlowspec.ServiceType = SERVICETYPE_CONTROLLEDLOAD;
        q.SendingFlowspec.TokenRate = rate;
        q.SendingFlowspec.TokenBucketSize = bucket;
        q.ReceivingFlowspec.ServiceType = SERVICETYPE_BESTEFFORT;
        return q;
    }

    /** A socket on the named catalog entry, or on the provider Winsock picks when {@code entry} is null. */
    private SOCKET socket(String entry, int flags) {
        SOCKET s = ws.WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, entry == null ? null : entryNamed(ws, entry), 0,
                flags);
        assertNotEquals("WSASocket: " + ws.WSAGetLastError(), SOCKET.INVALID_SOCKET, s);
        return s;
    }

    /** A c_root/d_root on {@code entry}, listening on 127.0.0.1; its address in {@code at}. */
    private SOCKET listeningRoot(String entry, SOCKADDR at) {
        SOCKET r = socket(entry, ROOT);
        assertEquals(0, ws.bind(r, SOCKADDR.of("127.0.0.1", 0), 16));
        assertEquals(0, ws.getsockname(r, at, new int[] {16}));
        assertEquals(0, ws.listen(r, SOMAXCONN));
        return r;
    }

    /**
     * A blocking WSAJoinLeaf of {@code leaf} with {@code q} that must succeed, the root accepting it on another
     * thread (should the join fail, the test fails and closing everything ends that accept).
     */
    private void join(SOCKET root, SOCKADDR at, SOCKET leaf, QOS q) throws Exception {
        CompletableFuture<SOCKET> accepted = CompletableFuture.supplyAsync(
                () -> ws.WSAAccept(root, null, null, ACCEPT_ALL, 0), acceptor);
        SOCKET joined = ws.WSAJoinLeaf(leaf, at, 16, null, null, q, null, JL_BOTH);
        assertEquals("WSAJoinLeaf: " + WSAError.describe(ws.WSAGetLastError()), leaf, joined);
        assertNotEquals("WSAAccept", SOCKET.INVALID_SOCKET, accepted.get(10, TimeUnit.SECONDS));
    }

    private int ioctlError(SOCKET s, int code, QOS in, QOS out) {
        int rc = ws.WSAIoctl(s, code, in, in == null ? 0 : QOS.SIZE, out, out == null ? 0 : QOS.SIZE, new int[1]);
        return rc == 0 ? 0 : ws.WSAGetLastError();
    }

    private long remainingTcpCapacity() {
        ServiceReference<QosService> ref = context.getServiceReference(QosService.class);
        assertNotNull("no QosService registered", ref);
        try {
            return context.getService(ref).remainingCapacity("tcp");
        } finally {
            context.ungetService(ref);
        }
    }

    private Bundle qosBundle() {
        for (Bundle b : context.getBundles()) {
            if (QOS_BUNDLE.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + QOS_BUNDLE + " is not installed");
    }

    @Test // K.50, §5, decisions 10: GUARANTEED sending flowspec with TokenRate = QOS_NOT_SPECIFIED -> WSAEOPNOTSUPP
    public void k50_guaranteedWithoutTokenRate_joinFailsWsaeopnotsupp() throws Exception {
        SOCKADDR at = new SOCKADDR();
        SOCKET root = listeningRoot(WITH_QOS, at);
        SOCKET leaf = socket(WITH_QOS, LEAF);
        QOS q = controlledLoad(MIB, 64 * 1024);
        q.SendingFlowspec.ServiceType = SERVICETYPE_GUARANTEED;
        q.SendingFlowspec.TokenRate = QOS_NOT_SPECIFIED;

        assertFails(ws, WSAEOPNOTSUPP, ws.WSAJoinLeaf(leaf, at, 16, null, null, q, null, JL_BOTH));
        assertEquals("a refused join reserves nothing", DEFAULT_CAPACITY, remainingTcpCapacity());
        join(root, at, leaf, null); // the same socket still joins without QoS
    }

    @Test // K.51, R33: SIO_SET_QOS(Q1) before the join and lpSQOS = Q2 -> SIO_GET_QOS after the join gives Q2
    public void k51_setQosBeforeJoin_joinQosInEffect_r33() throws Exception {
        SOCKADDR at = new SOCKADDR();
        SOCKET root = listeningRoot(WITH_QOS, at);
        SOCKET leaf = socket(WITH_QOS, LEAF);
        QOS q1 = controlledLoad(300_000, 4000);
        QOS q2 = controlledLoad(200_000, 2000);
        assertEquals(0, ioctlError(leaf, SIO_SET_QOS, q1, null));
        join(root, at, leaf, q2);

        QOS inEffect = new QOS();
        assertEquals(0, ioctlError(leaf, SIO_GET_QOS, null, inEffect));
        assertEquals(q2, inEffect);
        assertEquals("only Q2 is reserved", DEFAULT_CAPACITY - 200_000, remainingTcpCapacity());
    }

    @Test // K.52, §5: the plain tcp entry and the default provider have no QoS -> WSAENOPROTOOPT (10042)
    public void k52_providersWithoutQos_ioctlsFailWsaenoprotoopt() {
        SOCKET plainTcp = socket(PLAIN, LEAF);
        SOCKET byDefault = socket(null, 0); // no multipoint flags: the default provider
        assertEquals("joinleaf default [TCP/IP]", entryOf(ws, byDefault));
        for (SOCKET s : new SOCKET[] {plainTcp, byDefault}) {
            assertEquals(WSAENOPROTOOPT, ioctlError(s, SIO_GET_QOS, null, new QOS()));
            assertEquals(WSAENOPROTOOPT, ioctlError(s, SIO_SET_QOS, controlledLoad(1000, 1000), null));
        }
    }

    @Test // issue 5 items 2 and 5, Q10: ten 1 MiB/s flows fill 10 MiB/s, the 11th fails, closing one lets it in
    public void admission_runsOutAtCapacity_comesBackOnClose_q10() throws Exception {
        assertEquals("nothing reserved before the test", DEFAULT_CAPACITY, remainingTcpCapacity());
        SOCKADDR at = new SOCKADDR();
        SOCKET root = listeningRoot(WITH_QOS, at);
        List<SOCKET> leaves = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SOCKET leaf = socket(WITH_QOS, LEAF);
            join(root, at, leaf, controlledLoad(MIB, 64 * 1024));
            leaves.add(leaf);
        }
        assertEquals(0, remainingTcpCapacity());

        SOCKET eleventh = socket(WITH_QOS, LEAF);
        assertFails(ws, WSAEOPNOTSUPP, ws.WSAJoinLeaf(eleventh, at, 16, null, null, controlledLoad(MIB, 64 * 1024),
                null, JL_BOTH));
        QOS bestEffort = controlledLoad(MIB, 64 * 1024);
        bestEffort.SendingFlowspec.ServiceType = SERVICETYPE_BESTEFFORT;
        join(root, at, socket(WITH_QOS, LEAF), bestEffort); // best effort always passes

        assertEquals(0, ws.closesocket(leaves.get(0)));
        assertEquals("closesocket returns the flow's capacity", MIB, remainingTcpCapacity());
        join(root, at, eleventh, controlledLoad(MIB, 64 * 1024)); // the 11th gets in
        assertEquals(0, remainingTcpCapacity());
    }

    @Test // §5, issue 5 item 4: FD_QOS per change, with its code, re-armed by SIO_GET_QOS or a read (decisions 19)
    public void fdQos_recordedOncePerChange_rearmedBySioGetQos() {
        SOCKET leaf = socket(WITH_QOS, LEAF);
        WSAEVENT event = ws.WSACreateEvent();
        assertEquals(0, ws.WSAEventSelect(leaf, event, FD_QOS));
        WSANETWORKEVENTS seen = new WSANETWORKEVENTS();

        assertEquals(0, ioctlError(leaf, SIO_SET_QOS, controlledLoad(1000, 1000), null));
        assertEquals(WSA_WAIT_EVENT_0, ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {event}, false, 5000, false));
        assertEquals(0, ws.WSAEnumNetworkEvents(leaf, event, seen));
        assertEquals(FD_QOS, seen.lNetworkEvents & FD_QOS);
        assertEquals(0, seen.iErrorCode[FD_QOS_BIT]);

        assertEquals(0, ioctlError(leaf, SIO_SET_QOS, controlledLoad(2000, 1000), null));
        assertEquals(0, ws.WSAEnumNetworkEvents(leaf, event, seen));
        assertEquals("once read, a further change is reported again (decisions 19)", FD_QOS,
                seen.lNetworkEvents & FD_QOS);

        assertEquals(0, ioctlError(leaf, SIO_GET_QOS, null, new QOS()));
        assertEquals(0, ioctlError(leaf, SIO_SET_QOS, controlledLoad(3000, 1000), null));
        assertEquals(0, ws.WSAEnumNetworkEvents(leaf, event, seen));
        assertEquals("re-armed by SIO_GET_QOS", FD_QOS, seen.lNetworkEvents & FD_QOS);
        ws.WSACloseEvent(event);
    }

    @Test // issue 5 item 5, decisions 12: provider.qos stopped -> tcp works without QoS; started -> QoS is back
    public void qosBundleStopped_tcpKeepsWorkingWithoutQos_startedAgain_qosBack() throws Exception {
        Bundle qos = qosBundle();
        qos.stop();
        try {
            awaitEntry(ws, WITH_QOS, false);
            assertTrue("no entry advertises XP1_QOS_SUPPORTED",
                    protocols(ws).stream().noneMatch(p -> p.has(XP1_QOS_SUPPORTED)));
            entryNamed(ws, PLAIN);

            SOCKADDR at = new SOCKADDR();
            SOCKET root = listeningRoot(null, at);
            assertEquals(PLAIN, entryOf(ws, root));
            SOCKET leaf = socket(null, LEAF);
            assertFails(ws, WSAEOPNOTSUPP, ws.WSAJoinLeaf(leaf, at, 16, null, null, controlledLoad(1000, 1000),
                    null, JL_BOTH));
            assertEquals(WSAENOPROTOOPT, ioctlError(leaf, SIO_GET_QOS, null, new QOS()));

            join(root, at, leaf, null); // a plain join still works
            byte[] hello = "still here".getBytes();
            assertEquals(hello.length, ws.send(root, hello, hello.length, 0));
            byte[] in = new byte[64];
            assertEquals(hello.length, ws.recv(leaf, in, in.length, 0));
            assertEquals(hello.length, ws.send(leaf, hello, hello.length, 0));
            assertEquals(hello.length, ws.recvfrom(root, in, in.length, 0, new SOCKADDR(), new int[] {16}));
        } finally {
            qos.start();
        }
        awaitEntry(ws, WITH_QOS, true);
        assertTrue(protocols(ws).stream().anyMatch(p -> p.has(XP1_QOS_SUPPORTED)));
        SOCKADDR at = new SOCKADDR();
        SOCKET root = listeningRoot(WITH_QOS, at);
        join(root, at, socket(WITH_QOS, LEAF), controlledLoad(1000, 1000)); // QoS joins are admitted again
    }
}
