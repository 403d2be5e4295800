package org.joinleaf.tcp;

import static org.joinleaf.api.Winsock2.FD_QOS_BIT;
import static org.joinleaf.api.Winsock2.JL_BOTH;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.joinleaf.api.Winsock2.QOS_NOT_SPECIFIED;
import static org.joinleaf.api.Winsock2.SERVICETYPE_BESTEFFORT;
import static org.joinleaf.api.Winsock2.SERVICETYPE_GUARANTEED;
import static org.joinleaf.api.Winsock2.SIO_GET_QOS;
import static org.joinleaf.api.Winsock2.SIO_SET_QOS;
import static org.joinleaf.api.Winsock2.WSAENOPROTOOPT;
import static org.joinleaf.api.Winsock2.WSAEOPNOTSUPP;
import static org.joinleaf.api.Winsock2.WSA_QOS_ADMISSION_FAILURE;
import static org.joinleaf.api.Winsock2.WSA_QOS_EFLOWSPEC;
import static org.joinleaf.spi.testkit.WsaAssert.expectWsa;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.qos.QosService;
import org.joinleaf.qos.admission.AdmissionControl;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.qos.QosRejectedException;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.testkit.RecordingCompletion;
import org.joinleaf.spi.testkit.RecordingUpcalls;
import org.junit.Test;

/**
 * Admission through the provider's SPI (plain objects, the real QoS service): joins and {@code SIO_SET_QOS} take
 * capacity or fail synchronously with {@code WSAEOPNOTSUPP} having taken nothing; every way a socket ends gives it
 * back; {@code SIO_GET_QOS} and {@code FD_QOS}. Conformance group K, decisions 10, R33, R34.
 */
public class QosAdmissionTest extends QosFixture {

    /** A leaf of {@code root} joined with {@code q}; its join completes. */
    private MultipointSocket joinWith(MultipointSocket root, RecordingUpcalls rootUp, QOS q, String name)
            throws Exception {
        RecordingUpcalls leafUp = new RecordingUpcalls(name);
        MultipointSocket leaf = qosSocket(true, C_LEAF_D_LEAF, leafUp);
        RecordingCompletion done = new RecordingCompletion();
        leaf.join(qosRequest(root.localAddress(), q, JL_BOTH), done);
        ConnectionRequest req = awaitRequest(root, rootUp);
        closeLater(req.accept(null, new RecordingUpcalls("link of " + name)));
        done.awaitConnected();
        return leaf;
    }

    private static int rejectionReason(ThrowingRunnable action) {
        try {
            action.run();
        } catch (QosRejectedException e) {
            assertEquals(e.toString(), WSAEOPNOTSUPP, e.code());
            return e.reason();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        fail("expected WSAEOPNOTSUPP");
        return 0;
    }

    @Test // K.50, decisions 10: a sending TokenRate may not be defaulted; synchronous, nothing taken, no completion
    public void guaranteedWithoutTokenRateFailsTheJoinAndTakesNothing() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        MultipointSocket leaf = qosSocket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        QOS q = controlledLoad(RATE, 1000);
        q.SendingFlowspec.ServiceType = SERVICETYPE_GUARANTEED;
        q.SendingFlowspec.TokenRate = QOS_NOT_SPECIFIED;
        RecordingCompletion done = new RecordingCompletion();

        assertEquals(WSA_QOS_EFLOWSPEC, rejectionReason(() -> leaf.join(qosRequest(root.localAddress(), q, JL_BOTH),
                done)));

        assertFalse("a refused join never completes", done.finished());
        assertEquals(CAPACITY, qos.remainingCapacity("tcp"));
        assertEquals("nothing went on the wire", null, root.pendingRequest());
        // the socket is untouched: the same join without QoS goes through
        leaf.join(qosRequest(root.localAddress(), null, JL_BOTH), done);
        awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link"));
        done.awaitConnected();
    }

    @Test // Q10 through joins: 80 flows fill the scope, the 81st is refused, closing one makes room again
    public void admissionRunsOutAndComesBack() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        List<MultipointSocket> leaves = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            leaves.add(joinWith(root, rootUp, controlledLoad(RATE, 1000), "leaf" + i));
        }
        assertEquals(0, qos.remainingCapacity("tcp"));

        MultipointSocket extra = qosSocket(true, C_LEAF_D_LEAF, new RecordingUpcalls("81st"));
        RecordingCompletion refused = new RecordingCompletion();
        assertEquals(WSA_QOS_ADMISSION_FAILURE, rejectionReason(
                () -> extra.join(qosRequest(root.localAddress(), controlledLoad(RATE, 1000), JL_BOTH), refused)));
        assertFalse(refused.finished());

        leaves.get(0).close();
        assertEquals("closesocket returns the flow's capacity", RATE, qos.remainingCapacity("tcp"));
        RecordingCompletion admitted = new RecordingCompletion();
        extra.join(qosRequest(root.localAddress(), controlledLoad(RATE, 1000), JL_BOTH), admitted);
        awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link of 81st"));
        admitted.awaitConnected();
        assertEquals(0, qos.remainingCapacity("tcp"));
    }

    @Test // grants end with the session: the root closing, and the provider stopping, return every reservation
    public void sessionEndAndProviderStopReturnCapacity() throws Exception {
        RecordingUpcalls endingUp = new RecordingUpcalls("ending root");
        MultipointSocket ending = listeningRoot(true, endingUp);
        RecordingUpcalls leafUp = new RecordingUpcalls("leaf");
        MultipointSocket leaf = qosSocket(true, C_LEAF_D_LEAF, leafUp);
        RecordingCompletion done = new RecordingCompletion();
        leaf.join(qosRequest(ending.localAddress(), controlledLoad(RATE, 1000), JL_BOTH), done);
        awaitRequest(ending, endingUp).accept(null, new RecordingUpcalls("link"));
        done.awaitConnected();
        RecordingUpcalls stayingUp = new RecordingUpcalls("staying root");
        joinWith(listeningRoot(true, stayingUp), stayingUp, controlledLoad(RATE, 1000), "other");
        assertEquals(CAPACITY - 2 * RATE, qos.remainingCapacity("tcp"));

        ending.close(); // §1.6: the session ends for its leaf, which keeps its descriptor until closesocket
        assertEquals(0, leafUp.await(Winsock2.FD_CLOSE_BIT));
        leafUp.until("the ended leaf's flow released", () -> qos.remainingCapacity("tcp") == CAPACITY - RATE);

        provider.stop();
        assertEquals("provider stop releases every grant", CAPACITY, qos.remainingCapacity("tcp"));
    }

    @Test // R34: JL_RECEIVER_ONLY ignores the sending flowspec, even one that could not be met
    public void unusedDirectionIsIgnored() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        MultipointSocket leaf = qosSocket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        QOS q = controlledLoad(RATE, 1000);
        q.SendingFlowspec.TokenRate = QOS_NOT_SPECIFIED;
        RecordingCompletion done = new RecordingCompletion();
        leaf.join(qosRequest(root.localAddress(), q, JL_RECEIVER_ONLY), done);
        awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link"));
        done.awaitConnected();
        assertEquals(CAPACITY, qos.remainingCapacity("tcp"));
    }

    @Test // K.51, R33: SIO_SET_QOS(Q1) before the join, lpSQOS = Q2: Q2 is in effect and only Q2 is reserved
    public void joinQosReplacesEarlierSetQos() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        MultipointSocket leaf = qosSocket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        QOS q1 = controlledLoad(3 * RATE, 1000);
        QOS q2 = controlledLoad(2 * RATE, 2000);
        leaf.ioctl(SIO_SET_QOS, q1, null);
        assertEquals(CAPACITY - 3 * RATE, qos.remainingCapacity("tcp"));

        RecordingCompletion done = new RecordingCompletion();
        leaf.join(qosRequest(root.localAddress(), q2, JL_BOTH), done);
        awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link"));
        done.awaitConnected();

        assertEquals(q2, getQos(leaf));
        assertEquals(CAPACITY - 2 * RATE, qos.remainingCapacity("tcp"));
    }

    @Test // §5: FD_QOS once per change (not for a no-op or a refusal); a refused renegotiation keeps the old flow
    public void fdQosOncePerChangeAndRefusedRenegotiationKeepsTheFlow() throws Exception {
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        RecordingUpcalls leafUp = new RecordingUpcalls("leaf");
        MultipointSocket leaf = qosSocket(true, C_LEAF_D_LEAF, leafUp);
        QOS q1 = controlledLoad(RATE, 1000);
        RecordingCompletion done = new RecordingCompletion();
        leaf.join(qosRequest(root.localAddress(), q1, JL_BOTH), done);
        awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link"));
        done.awaitConnected();
        assertEquals("the join's flowspecs took effect", 1, leafUp.count(FD_QOS_BIT));

        leaf.ioctl(SIO_SET_QOS, controlledLoad(RATE, 1000), null);
        assertEquals("no change, no FD_QOS", 1, leafUp.count(FD_QOS_BIT));

        QOS q2 = controlledLoad(2 * RATE, 1000);
        leaf.ioctl(SIO_SET_QOS, q2, null);
        assertEquals(2, leafUp.count(FD_QOS_BIT));
        assertEquals(CAPACITY - 2 * RATE, qos.remainingCapacity("tcp"));

        assertEquals(WSA_QOS_ADMISSION_FAILURE, rejectionReason(
                () -> leaf.ioctl(SIO_SET_QOS, controlledLoad((int) CAPACITY + RATE, 1000), null)));
        assertEquals("a refusal changes nothing", 2, leafUp.count(FD_QOS_BIT));
        assertEquals(q2, getQos(leaf));
        assertEquals(CAPACITY - 2 * RATE, qos.remainingCapacity("tcp"));
    }

    @Test // c_root join (§1.4 way 1): the invitation's lpSQOS is admitted for the new c_leaf and released with it
    public void invitationQosIsHeldByTheNewSocket() throws Exception {
        MultipointSocket root = qosSocket(true, C_ROOT_D_ROOT, new RecordingUpcalls("root"));
        RecordingUpcalls listenerUp = new RecordingUpcalls("listening leaf");
        MultipointSocket listener = socket(true, C_LEAF_D_LEAF, listenerUp);
        listener.bind(SOCKADDR.of("127.0.0.1", 0));
        listener.listen(1);
        RecordingUpcalls linkUp = new RecordingUpcalls("link");
        RecordingCompletion done = new RecordingCompletion();
        QOS q = controlledLoad(RATE, 1000);
        ProviderSocket link = closeLater(root.join(new ConnectRequest(listener.localAddress(), null,
                0, q, JL_BOTH, linkUp), done));
        closeLater(awaitRequest(listener, listenerUp).accept(null, new RecordingUpcalls("member")));
        done.awaitConnected();
        assertEquals(q, getQos(link));
        assertEquals(CAPACITY - RATE, qos.remainingCapacity("tcp"));

        link.close();
        assertEquals(CAPACITY, qos.remainingCapacity("tcp"));
    }

    @Test // K.52 at the provider: a socket on an entry without XP1_QOS_SUPPORTED answers the QoS ioctls WSAENOPROTOOPT
    public void socketWithoutQosEntryHasNoQosIoctls() throws Exception {
        MultipointSocket plain = socket(true, C_LEAF_D_LEAF, new RecordingUpcalls("plain"));
        expectWsa(WSAENOPROTOOPT, () -> plain.ioctl(SIO_GET_QOS, null, new QOS()));
        expectWsa(WSAENOPROTOOPT, () -> plain.ioctl(SIO_SET_QOS, controlledLoad(RATE, 1000), null));
    }

    @Test // QoS service gone (unbind): a QoS join on a QoS entry fails WSAEOPNOTSUPP; plain joins keep working
    public void unboundQosServiceRefusesQosButNotTransport() throws Exception {
        provider.unbindQos(qos);
        RecordingUpcalls rootUp = new RecordingUpcalls("root");
        MultipointSocket root = listeningRoot(true, rootUp);
        MultipointSocket leaf = qosSocket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        RecordingCompletion done = new RecordingCompletion();
        expectWsa(WSAEOPNOTSUPP,
                () -> leaf.join(qosRequest(root.localAddress(), controlledLoad(RATE, 1000), JL_BOTH), done));
        leaf.join(qosRequest(root.localAddress(), null, JL_BOTH), done);
        awaitRequest(root, rootUp).accept(null, new RecordingUpcalls("link"));
        done.awaitConnected();
        QOS none = getQos(leaf);
        assertEquals("no QoS asked: best effort", SERVICETYPE_BESTEFFORT, none.SendingFlowspec.ServiceType);
    }

    @Test // greedy swap: unbinding a service that is no longer the bound one changes nothing
    public void unbindOfAReplacedServiceKeepsTheNewOne() throws Exception {
        QosService better = AdmissionControl.configured(Map.of());
        provider.bindQos(better); // DS greedy: the new one is bound before the old one is unbound
        provider.unbindQos(qos);
        MultipointSocket leaf = qosSocket(true, C_LEAF_D_LEAF, new RecordingUpcalls("leaf"));
        leaf.ioctl(SIO_SET_QOS, controlledLoad(RATE, 1000), null);
        assertEquals("admitted by the new service", 10L * 1024 * 1024 - RATE, better.remainingCapacity("tcp"));
        assertEquals("not by the old one", CAPACITY, qos.remainingCapacity("tcp"));
    }
}
